#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of what an administrator relies on (docs/deploy.md):

- `teilhabe --version`, and /api/version naming the index revision served;
- the configuration file (teilhabe.conf(5)): read by serve and index, the
  command line winning, errors as FILE:LINE;
- socket activation and readiness exactly as systemd does them: a
  listening socket as fd 3 with LISTEN_FDS=1 and LISTEN_PID, READY=1 and
  STOPPING=1 on NOTIFY_SOCKET;
- the manual page naming every option each command's --help names.

Standard library only.

usage: e2e_deploy.py PATH/TO/teilhabe SOURCE_ROOT
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

BIN = None
ROOT = None


def run(*args, env=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120,
                          env=env)


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return r.status, r.read().decode("utf-8")


def clean_env(**extra):
    """The environment without anything that would steer the server."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TEILHABE_DB", "TEILHABE_CONFIG", "LISTEN_PID", "LISTEN_FDS",
                        "NOTIFY_SOCKET")}
    env.update(extra)
    return env


class Serving:
    """A `teilhabe serve` process; `base` is the URL it announced."""

    def __init__(self, proc):
        self.proc = proc
        self.base = None
        deadline = time.time() + 20
        while time.time() < deadline:
            line = proc.stderr.readline()
            m = re.search(r"listening on (http://[^/\s]+)", line)
            if m:
                self.base = m.group(1)
                return
            if not line and proc.poll() is not None:
                break
        self.stop()
        raise AssertionError("server did not start")

    @classmethod
    def start(cls, *args, env=None):
        return cls(subprocess.Popen([BIN, "serve", *args], stderr=subprocess.PIPE,
                                    text=True, env=env or clean_env()))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stderr.close()
        return rc


def activate(sock, env):
    """Starts `teilhabe serve` the way systemd does with a socket unit:
    the listening socket as fd 3, LISTEN_FDS=1, LISTEN_PID=the child's pid
    (known only after fork, hence no subprocess).  Returns (pid, stderr
    pipe)."""
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: only async-signal-safe steps until exec
        try:
            if sock.fileno() == 3:
                os.set_inheritable(3, True)
            else:
                os.dup2(sock.fileno(), 3, inheritable=True)
            os.dup2(wr, 2)
            env = dict(env, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
            os.execve(BIN, [BIN, "serve", "--config", "/dev/null"], env)
        finally:
            os._exit(127)
    os.close(wr)
    return pid, os.fdopen(rd, "r")


class Deploy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-deploy-")
        cls.corpus = os.path.join(cls.tmp, "corpus")
        shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "corpus"), cls.corpus)
        cls.db = os.path.join(cls.tmp, "index")
        p = run("index", "--quiet", "--db", cls.db, cls.corpus, env=clean_env())
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    # --- version ---------------------------------------------------------

    def project_version(self):
        with open(os.path.join(ROOT, "meson.build"), encoding="utf-8") as f:
            return re.search(r"version : '([^']+)'", f.read()).group(1)

    def test_version(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout.strip(), "teilhabe " + self.project_version())

    def test_api_version_follows_reindex(self):
        corpus = os.path.join(self.tmp, "corpus-reindex")
        db = os.path.join(self.tmp, "index-reindex")
        shutil.copytree(self.corpus, corpus)
        self.assertEqual(run("index", "--quiet", "--db", db, corpus).returncode, 0)
        srv = Serving.start("--config", "/dev/null", "--db", db, "--port", "0")
        try:
            status, body = get(srv.base, "/api/version")
            self.assertEqual(status, 200)
            v = json.loads(body)
            self.assertEqual(v["version"], self.project_version())
            self.assertEqual(set(v["index"]), {"generation", "revision", "records"})
            self.assertEqual(v["index"]["records"], 8)
            self.assertGreaterEqual(v["index"]["revision"], 1)
            # /healthz stays the bare answer load balancers expect.
            self.assertEqual(get(srv.base, "/healthz"), (200, "ok\n"))
            # A changed record: an update is written to a copy of the
            # published generation (published ones never change), with
            # one more commit; served on the next request.
            path = os.path.join(corpus, "bem-grundlagen.md")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text + "\nEin neuer Absatz.\n")
            self.assertEqual(run("index", "--quiet", "--db", db, corpus).returncode, 0)
            v2 = json.loads(get(srv.base, "/api/version")[1])
            self.assertNotEqual(v2["index"]["generation"], v["index"]["generation"])
            self.assertGreater(v2["index"]["revision"], v["index"]["revision"])
        finally:
            self.assertEqual(srv.stop(), 0)

    # --- the configuration file -----------------------------------------

    def test_serve_reads_config_and_command_line_wins(self):
        conf = self.write("serve.conf", "# test\n[serve]\ndb = %s\nport = 0\n"
                          "editorial = true\n\n[index]\ndb = /nowhere\n" % self.db)
        srv = Serving.start("--config", conf)
        try:
            self.assertEqual(get(srv.base, "/healthz"), (200, "ok\n"))
            self.assertEqual(get(srv.base, "/redaktion")[0], 200)  # editorial = true
        finally:
            srv.stop()
        # The command line overrides the file: a wrong db in the file, the
        # right one on the command line.
        bad = self.write("bad-db.conf", "[serve]\ndb = %s/missing\nport = 0\n" % self.tmp)
        srv = Serving.start("--config=" + bad, "--db", self.db)
        try:
            self.assertEqual(get(srv.base, "/healthz"), (200, "ok\n"))
        finally:
            srv.stop()
        p = run("serve", "--config", bad, "--port", "0", env=clean_env())
        self.assertEqual(p.returncode, 3)  # the file's db was used, and is missing

    def test_config_from_environment(self):
        conf = self.write("env.conf", "[serve]\ndb = %s\nport = 0\n" % self.db)
        srv = Serving.start(env=clean_env(TEILHABE_CONFIG=conf))
        try:
            self.assertEqual(get(srv.base, "/healthz"), (200, "ok\n"))
        finally:
            srv.stop()
        p = run("serve", env=clean_env(TEILHABE_CONFIG=os.path.join(self.tmp, "none.conf")))
        self.assertEqual(p.returncode, 3)
        self.assertIn("cannot read configuration", p.stderr)

    def test_index_reads_its_section(self):
        db = os.path.join(self.tmp, "index-from-conf")
        conf = self.write("index.conf", "[serve]\nport = 1\n[index]\ndb = %s\n"
                          "corpus = %s\nquiet = true\n" % (db, self.corpus))
        p = run("index", "--config", conf, env=clean_env())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")  # quiet = true, and no warnings as errors
        self.assertTrue(os.path.islink(db))

    def test_config_errors_name_file_and_line(self):
        cases = [
            ("[serve]\nprot = 8080\n", 2, "bad.conf:2: unknown key 'prot' in [serve]"),
            ("port = 8080\n", 2, "bad.conf:1: 'port' is outside a section"),
            ("[serv]\n", 2, "bad.conf:1: unknown section '[serv]'"),
            ("[serve]\nport 8080\n", 2, "bad.conf:2: expected 'key = value'"),
            ("[serve]\nport =\n", 2, "bad.conf:2: 'port' has no value"),
            ("[serve]\neditorial = ja\n", 2, "bad.conf:2: 'editorial' is a switch"),
            ("[serve]\nport = 1\n\nport = 2\n", 2, "bad.conf:4: 'port' is set twice (first on line 2)"),
            ("[index]\nhelp = true\n", 2, "bad.conf:2: unknown key 'help' in [index]"),
            ("[serve]\n# " + "x" * 2000 + "\n", 2, "bad.conf:2: line longer than 1024 bytes"),
            ("[serve]\n" + "#\n" * 1000, 2, "bad.conf:1001: more than 1000 lines"),
        ]
        for text, code, msg in cases:
            with self.subTest(msg=msg):
                conf = self.write("bad.conf", text)
                p = run("serve", "--config", conf, "--port", "0", env=clean_env())
                self.assertEqual(p.returncode, code, p.stderr)
                self.assertIn(msg, p.stderr)
        # Each command checks the whole file, not only its own section.
        conf = self.write("bad.conf", "[serve]\nprot = 1\n[index]\nfull = true\n")
        p = run("index", "--config", conf, self.corpus, env=clean_env())
        self.assertEqual(p.returncode, 2)
        self.assertIn("bad.conf:2: unknown key 'prot' in [serve]", p.stderr)
        # preview is a librarian's own tool: it reads no configuration.
        p = run("preview", "--config", conf, self.corpus, env=clean_env())
        self.assertEqual(p.returncode, 2)
        self.assertIn("reads no configuration file", p.stderr)

    # --- socket activation and readiness ------------------------------------

    def test_socket_activation_and_notify(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        port = listener.getsockname()[1]
        notify_path = os.path.join(self.tmp, "notify")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        notify.settimeout(20)
        env = clean_env(TEILHABE_DB=self.db, NOTIFY_SOCKET=notify_path)
        pid, err = activate(listener, env)
        listener.close()  # the server holds it now
        try:
            self.assertEqual(notify.recv(256), b"READY=1")
            base = "http://127.0.0.1:%d" % port
            self.assertEqual(get(base, "/healthz"), (200, "ok\n"))
            status, body = get(base, "/api/search?q=Eingliederungsmanagement")
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["results"][0]["id"], "bem-grundlagen")
            os.kill(pid, signal.SIGTERM)
            self.assertEqual(notify.recv(256), b"STOPPING=1")
            _, status = os.waitpid(pid, 0)
            self.assertEqual(os.waitstatus_to_exitcode(status), 0)
            log = err.read()
            self.assertIn("listening on http://127.0.0.1:%d/ (passed by systemd)" % port, log)
        finally:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            err.close()
            notify.close()

    def test_socket_for_another_process_is_not_taken(self):
        # LISTEN_PID names someone else: the variables are not ours, the
        # server binds its own port as usual.
        srv = Serving.start("--config", "/dev/null", "--db", self.db, "--port", "0",
                            env=clean_env(LISTEN_PID="1", LISTEN_FDS="1"))
        try:
            self.assertEqual(get(srv.base, "/healthz"), (200, "ok\n"))
        finally:
            srv.stop()

    def test_two_passed_sockets_are_refused(self):
        env = clean_env(TEILHABE_DB=self.db)
        rd, wr = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(wr, 2)
                os.execve(BIN, [BIN, "serve", "--config", "/dev/null"],
                          dict(env, LISTEN_FDS="2", LISTEN_PID=str(os.getpid())))
            finally:
                os._exit(127)
        os.close(wr)
        with os.fdopen(rd) as err:
            log = err.read()
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 3)
        self.assertIn("exactly one ListenStream=", log)

    # --- the manual page ------------------------------------------------------

    def test_man_page_names_every_option(self):
        with open(os.path.join(ROOT, "docs", "man", "teilhabe.1.scd"), encoding="utf-8") as f:
            page = f.read()
        usage = run("--help").stdout
        commands = re.findall(r"^  (\w+) ", usage, re.M)
        self.assertIn("serve", commands)
        for cmd in commands:
            with self.subTest(command=cmd):
                m = re.search(r"^## %s\n(.*?)(?=^#)" % cmd, page, re.M | re.S)
                self.assertIsNotNone(m, "no section '## %s' in teilhabe.1.scd" % cmd)
                section = m.group(1)
                helptext = run(cmd, "--help").stdout
                options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", helptext)) - {"--help"}
                self.assertTrue(options or cmd == "explain", cmd)
                for opt in sorted(options):
                    self.assertIn("*%s*" % opt, section,
                                  "teilhabe %s --help names %s; teilhabe.1.scd does not"
                                  % (cmd, opt))


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv[1])
    ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
