#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The shipped nginx and Apache sites (dist/proxy/) as deploy.md tells an
administrator to use them, each with a self-signed certificate made here
and its addresses pointed at this test's ports:

- `nginx -t` / `apache2 -t` accepts it;
- search pages and API answers arrive through TLS, with HSTS; plain HTTP
  is redirected to HTTPS;
- no client address reaches the application, not even one the client
  put in X-Forwarded-For, X-Real-IP or Forwarded (checked with an echoing
  upstream in teilhabe's place);
- the access log holds neither the client address nor the query;
- the stylesheet is cached: it is still served when teilhabe is gone.

usage: e2e_proxy.py PATH/TO/teilhabe SOURCE_ROOT
A server that is not installed is skipped; exits 77 (skipped) when
neither is, or openssl is missing.
"""
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

BIN = None
ROOT = None
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
APACHE = shutil.which("apache2") or (
    "/usr/sbin/apache2" if os.path.exists("/usr/sbin/apache2") else None)
CLIENT_IP = "203.0.113.9"  # TEST-NET-3: what a client claims to be


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("nothing listens on port %d" % port)


class Echo(http.server.BaseHTTPRequestHandler):
    """An upstream that records the headers it is sent."""
    seen = []

    def do_GET(self):
        Echo.seen.append(dict(self.headers.items()))
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class App:
    """teilhabe over the fixture corpus, on a free port."""

    def __init__(self, tmp):
        db = os.path.join(tmp, "index")
        subprocess.run([BIN, "index", "--quiet", "--db", db,
                        os.path.join(ROOT, "tests", "fixtures", "corpus")],
                       check=True, capture_output=True, timeout=120)
        self.proc = subprocess.Popen([BIN, "serve", "--config", "/dev/null", "--db", db,
                                      "--port", "0"], stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        while line and "listening on" not in line:
            line = self.proc.stderr.readline()
        self.port = int(re.search(r":(\d+)/", line).group(1))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc.stderr.close()


class ProxyChecks:
    """What both shipped sites must do; a subclass runs one web server
    with its site (site_file, edits(), main_conf(), command())."""

    proxy = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-proxy-")
        os.chmod(cls.tmp, 0o755)  # the web server's workers run as another user
        cls.cert = os.path.join(cls.tmp, "cert.pem")
        cls.key = os.path.join(cls.tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-days", "1", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost",
                        "-keyout", cls.key, "-out", cls.cert],
                       check=True, capture_output=True, timeout=60)
        os.chmod(cls.key, 0o644)
        cls.https = free_port()
        cls.http = free_port()
        cls.tls = ssl.create_default_context(cafile=cls.cert)
        cls.app = App(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        cls.stop_proxy()
        cls.app.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def write_conf(cls, upstream_port):
        """The shipped site with this test's ports, paths and certificate
        (every edit must apply, so a changed site fails here), and a main
        configuration that includes it.  Returns the main file's path."""
        with open(os.path.join(ROOT, "dist", "proxy", cls.site_file)) as f:
            text = f.read()
        for old, new in cls.edits(upstream_port):
            assert old in text, "the shipped site no longer has %r" % old
            text = text.replace(old, new)
        with open(os.path.join(cls.tmp, "site.conf"), "w") as f:
            f.write(text)
        path = os.path.join(cls.tmp, "main.conf")
        with open(path, "w") as f:
            f.write(cls.main_conf())
        return path

    @classmethod
    def start_proxy(cls, upstream_port):
        conf = cls.write_conf(upstream_port)
        cls.proxy = subprocess.Popen(cls.command(conf), stderr=subprocess.PIPE, text=True)
        wait_port(cls.https)

    @classmethod
    def stop_proxy(cls):
        if cls.proxy is not None:
            cls.proxy.terminate()
            cls.proxy.wait(timeout=10)
            cls.proxy.stderr.close()
            cls.proxy = None
            time.sleep(0.2)  # let the ports go before the next start

    def get(self, path, headers=None, scheme="https"):
        port = self.https if scheme == "https" else self.http
        req = urllib.request.Request("%s://localhost:%d%s" % (scheme, port, path),
                                     headers=headers or {})
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.tls), NoRedirect())
        try:
            with opener.open(req, timeout=10) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8")

    # --- the checks, in order ---------------------------------------------

    def test_1_config_accepted(self):
        conf = self.write_conf(self.app.port)
        p = subprocess.run(self.configtest(conf), capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_2_no_client_address_is_forwarded(self):
        Echo.seen.clear()
        echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        threading.Thread(target=echo.serve_forever, daemon=True).start()
        self.start_proxy(echo.server_address[1])
        try:
            status, _, _ = self.get("/api/search?q=BEM", headers={
                "X-Forwarded-For": CLIENT_IP, "X-Real-IP": CLIENT_IP,
                "Forwarded": "for=" + CLIENT_IP})
            self.assertEqual(status, 200)
        finally:
            self.stop_proxy()
            echo.shutdown()
            echo.server_close()
        self.assertEqual(len(Echo.seen), 1)
        headers = {k.lower(): v for k, v in Echo.seen[0].items()}
        for name in ("x-forwarded-for", "x-real-ip", "forwarded", "via",
                     "x-forwarded-host", "x-forwarded-server"):
            self.assertNotIn(name, headers)
        for value in headers.values():
            self.assertNotIn(CLIENT_IP, value)
            self.assertNotIn("127.0.0.1", value)  # the real client's address
        self.assertEqual(headers["x-forwarded-proto"], "https")

    def test_3_search_through_tls(self):
        self.start_proxy(self.app.port)
        try:
            status, headers, body = self.get("/api/search?q=Eingliederungsmanagement")
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["results"][0]["id"], "bem-grundlagen")
            self.assertEqual(headers["Strict-Transport-Security"],
                             "max-age=63072000; includeSubDomains")
            status, headers, body = self.get("/suche?q=BEM+Datenschutz")
            self.assertEqual(status, 200)
            self.assertIn("<html", body)
            self.assertIn("max-age=63072000", headers["Strict-Transport-Security"])
            self.assertEqual(self.get("/healthz")[:3:2], (200, "ok\n"))
            status, headers, _ = self.get("/suche?q=BEM", scheme="http")
            self.assertEqual(status, 301)
            self.assertEqual(headers["Location"], "https://localhost/suche?q=BEM")
            # The stylesheet is cached: it still arrives with teilhabe gone.
            status, _, css = self.get("/static/style.css")
            self.assertEqual(status, 200)
            time.sleep(0.2)  # a cache may store after answering
            self.app.stop()
            self.assertEqual(self.get("/static/style.css")[::2], (200, css))
            self.assertIn(self.get("/suche?q=BEM")[0], (502, 503))
        finally:
            self.stop_proxy()
        with open(os.path.join(self.tmp, "teilhabe.access.log")) as f:
            log = f.read()
        self.assertIn('"GET /suche"', log)
        self.assertNotIn("q=", log)
        self.assertNotIn("Datenschutz", log)
        self.assertNotIn("127.0.0.1", log)


@unittest.skipIf(NGINX is None, "nginx is not installed")
class Nginx(ProxyChecks, unittest.TestCase):
    site_file = "nginx-teilhabe.conf"

    @classmethod
    def edits(cls, upstream_port):
        return [
            ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % cls.https),
            ("listen [::]:443 ssl http2;", ""),
            ("listen 80;", "listen 127.0.0.1:%d;" % cls.http),
            ("listen [::]:80;", ""),
            ("/etc/letsencrypt/live/teilhabe.example.org/fullchain.pem", cls.cert),
            ("/etc/letsencrypt/live/teilhabe.example.org/privkey.pem", cls.key),
            ("teilhabe.example.org", "localhost"),
            ("/var/log/nginx/", cls.tmp + "/"),
            ("/var/cache/nginx/teilhabe", os.path.join(cls.tmp, "cache")),
            ("root /var/www/html;", "root %s;" % cls.tmp),
            ("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % upstream_port),
        ]

    @classmethod
    def main_conf(cls):
        return """daemon off;
worker_processes 1;
pid %(t)s/nginx.pid;
error_log %(t)s/nginx-error.log;
events { worker_connections 64; }
http {
    access_log %(t)s/default-access.log;
    client_body_temp_path %(t)s/body;
    proxy_temp_path %(t)s/proxy;
    fastcgi_temp_path %(t)s/fastcgi;
    uwsgi_temp_path %(t)s/uwsgi;
    scgi_temp_path %(t)s/scgi;
    include %(t)s/site.conf;
}
""" % {"t": cls.tmp}

    @classmethod
    def command(cls, conf):
        return [NGINX, "-p", cls.tmp, "-c", conf]

    @classmethod
    def configtest(cls, conf):
        return [NGINX, "-t", "-p", cls.tmp, "-c", conf]


@unittest.skipIf(APACHE is None, "apache2 is not installed")
class Apache(ProxyChecks, unittest.TestCase):
    site_file = "apache-teilhabe.conf"
    MODULES = ("mpm_event", "authz_core", "alias", "headers", "ssl", "socache_shmcb",
               "proxy", "proxy_http", "cache", "cache_disk")

    @classmethod
    def edits(cls, upstream_port):
        return [
            ("<VirtualHost *:80>", "<VirtualHost 127.0.0.1:%d>" % cls.http),
            ("<VirtualHost *:443>", "<VirtualHost 127.0.0.1:%d>" % cls.https),
            ("/etc/letsencrypt/live/teilhabe.example.org/fullchain.pem", cls.cert),
            ("/etc/letsencrypt/live/teilhabe.example.org/privkey.pem", cls.key),
            ("teilhabe.example.org", "localhost"),
            ("DocumentRoot /var/www/html", "DocumentRoot " + cls.tmp),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:%d/" % upstream_port),
        ]

    @classmethod
    def main_conf(cls):
        t = cls.tmp
        cache = os.path.join(t, "cache")
        os.makedirs(cache, exist_ok=True)
        os.chmod(cache, 0o777)
        mods = "".join("LoadModule %s_module /usr/lib/apache2/modules/mod_%s.so\n" % (m, m)
                       for m in cls.MODULES)
        return mods + """ServerName localhost
ServerRoot %(t)s
DefaultRuntimeDir %(t)s
PidFile %(t)s/apache.pid
ErrorLog %(t)s/apache-error.log
Define APACHE_LOG_DIR %(t)s
Listen 127.0.0.1:%(http)d
Listen 127.0.0.1:%(https)d
CacheRoot %(cache)s
Include %(t)s/site.conf
""" % {"t": t, "http": cls.http, "https": cls.https, "cache": cache}

    @classmethod
    def command(cls, conf):
        return [APACHE, "-f", conf, "-DFOREGROUND"]

    @classmethod
    def configtest(cls, conf):
        return [APACHE, "-t", "-f", conf]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


if __name__ == "__main__":
    if (NGINX is None and APACHE is None) or shutil.which("openssl") is None:
        print("SKIP: nginx or apache2, and openssl, are needed (tools/deps.sh installs them)")
        sys.exit(77)
    BIN = os.path.abspath(sys.argv[1])
    ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
