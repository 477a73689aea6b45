#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The installed tree (docs/deploy.md, "What gets installed where"):

- `meson install --destdir` puts exactly the documented files in place:
  the binary, two manual pages, the configuration, four systemd units, the
  examples and the whole corpus;
- `man teilhabe` and `man teilhabe.conf` work from the installed tree;
- `systemd-analyze verify` accepts the units and `systemd-analyze security`
  rates teilhabe.service at most 4.0 ("OK"); the score is printed;
- the installed binary indexes the installed corpus with the installed
  configuration (its paths pointed into the tree).

usage: e2e_install.py BUILD_DIR SOURCE_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BUILD = None
ROOT = None
MAX_EXPOSURE = 4.0


def sh(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-install-")
        cls.dest = os.path.join(cls.tmp, "dest")
        p = sh("meson", "install", "-C", BUILD, "--destdir", cls.dest, "--no-rebuild",
               "--quiet")
        assert p.returncode == 0, p.stdout + p.stderr
        opts = json.loads(sh("meson", "introspect", BUILD, "--buildoptions").stdout)
        cls.opt = {o["name"]: o["value"] for o in opts}
        cls.prefix = cls.opt["prefix"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, opt, *rest):
        """An installed path: the meson directory option `opt` (relative to
        the prefix unless absolute) joined with `rest`."""
        d = self.opt[opt] if opt != "prefix" else ""
        return os.path.join(self.prefix, d, *rest)

    def unitdir(self):
        return self.opt["systemdunitdir"] or os.path.join(self.prefix, "lib/systemd/system")

    def in_dest(self, path):
        return os.path.join(self.dest, path.lstrip("/"))

    def test_layout(self):
        corpus = os.path.join(ROOT, "corpus")
        shipped = sorted(os.path.relpath(os.path.join(d, f), corpus)
                         for d, _, fs in os.walk(corpus) for f in fs)
        expected = [
            self.path("bindir", "teilhabe"),
            self.path("sysconfdir", "teilhabe", "teilhabe.conf"),
            self.path("mandir", "man1", "teilhabe.1"),
            self.path("mandir", "man5", "teilhabe.conf.5"),
            self.path("datadir", "teilhabe", "examples", "teilhabe.conf"),
            self.path("datadir", "teilhabe", "examples", "nginx-teilhabe.conf"),
            self.path("datadir", "teilhabe", "examples", "apache-teilhabe.conf"),
        ] + [os.path.join(self.unitdir(), u) for u in (
            "teilhabe.socket", "teilhabe.service", "teilhabe-index.service",
            "teilhabe-index.timer")] + [
            self.path("datadir", "teilhabe", "corpus", f) for f in shipped]
        found = sorted("/" + os.path.relpath(os.path.join(d, f), self.dest)
                       for d, _, fs in os.walk(self.dest) for f in fs)
        print("installed (corpus: %d files):" % len(shipped))
        for f in found:
            if "/corpus/" not in f:
                print("  " + f)
        self.assertEqual(found, sorted(expected))
        self.assertTrue(os.access(self.in_dest(self.path("bindir", "teilhabe")), os.X_OK))
        # The configuration names the installed corpus and the state
        # directory the units own.
        with open(self.in_dest(self.path("sysconfdir", "teilhabe", "teilhabe.conf"))) as f:
            conf = f.read()
        self.assertIn("corpus = " + self.path("datadir", "teilhabe", "corpus") + "\n", conf)
        self.assertIn("db = /var/lib/teilhabe/index\n", conf)

    def test_man(self):
        if shutil.which("man") is None:
            self.skipTest("man-db is not installed")
        env = dict(os.environ, MANPATH=self.in_dest(self.path("mandir")), MANWIDTH="80")
        for page, needle in (("teilhabe", "socket activation"), ("teilhabe.conf", "[serve]")):
            p = sh("man", "-P", "cat", page, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(needle, re.sub(r"\s+", " ", p.stdout))

    def units(self):
        """The installed units, copied with ExecStart= pointing at the
        installed binary (systemd-analyze checks that it exists)."""
        out = os.path.join(self.tmp, "units")
        os.makedirs(out, exist_ok=True)
        binary = self.path("bindir", "teilhabe")
        names = ("teilhabe.socket", "teilhabe.service", "teilhabe-index.service",
                 "teilhabe-index.timer")
        for u in names:
            with open(self.in_dest(os.path.join(self.unitdir(), u))) as f:
                text = f.read()
            with open(os.path.join(out, u), "w") as f:
                f.write(text.replace(binary, self.in_dest(binary)))
        return [os.path.join(out, u) for u in names]

    def test_units_verify(self):
        if shutil.which("systemd-analyze") is None:
            self.skipTest("systemd is not installed")
        p = sh("systemd-analyze", "verify", "--man=no", *self.units())
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(p.stderr.strip(), "")

    def test_units_security(self):
        if shutil.which("systemd-analyze") is None:
            self.skipTest("systemd is not installed")
        units = self.units()
        for unit in (units[1], units[2]):
            p = sh("systemd-analyze", "security", "--offline=true", "--no-pager", unit)
            m = re.search(r"Overall exposure level for (\S+): ([\d.]+) (\w+)", p.stdout)
            self.assertIsNotNone(m, p.stdout + p.stderr)
            print("systemd-analyze security %s: %s %s" % (m.group(1), m.group(2), m.group(3)))
            self.assertLessEqual(float(m.group(2)), MAX_EXPOSURE)

    def test_installed_binary_indexes_installed_corpus(self):
        # The installed configuration with its state directory moved into
        # the temporary folder: the installed corpus, the installed binary.
        with open(self.in_dest(self.path("sysconfdir", "teilhabe", "teilhabe.conf"))) as f:
            conf = f.read()
        db = os.path.join(self.tmp, "state", "index")
        conf = conf.replace("/var/lib/teilhabe/index", db)
        conf = conf.replace(self.path("datadir"), self.in_dest(self.path("datadir")))
        path = os.path.join(self.tmp, "teilhabe.conf")
        with open(path, "w") as f:
            f.write(conf)
        binary = self.in_dest(self.path("bindir", "teilhabe"))
        p = sh(binary, "index", "--config", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = sh(binary, "search", "--db", db, "--json", "BEM")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertGreater(json.loads(p.stdout)["total"], 0)


if __name__ == "__main__":
    BUILD = os.path.abspath(sys.argv[1])
    ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
