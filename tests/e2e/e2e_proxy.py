#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The shipped nginx site (dist/proxy/nginx-teilhabe.conf) as deploy.md
tells an administrator to use it, with a self-signed certificate made
here and its addresses pointed at this test's ports:

- `nginx -t` accepts it;
- search pages and API answers arrive through TLS, with HSTS; plain HTTP
  is redirected to HTTPS;
- no client address reaches the application, not even one the client
  put in X-Forwarded-For, X-Real-IP or Forwarded (checked with an echoing
  upstream in teilhabe's place);
- the access log holds neither the client address nor the query;
- the stylesheet is cached: it is still served when teilhabe is gone.

usage: e2e_proxy.py PATH/TO/teilhabe SOURCE_ROOT
Exits 77 (skipped) when nginx or openssl is not installed.
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


class Proxy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-proxy-")
        os.chmod(cls.tmp, 0o755)  # nginx's workers run as another user
        cls.cert = os.path.join(cls.tmp, "cert.pem")
        cls.key = os.path.join(cls.tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-days", "1", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost",
                        "-keyout", cls.key, "-out", cls.cert],
                       check=True, capture_output=True, timeout=60)
        cls.https = free_port()
        cls.http = free_port()
        cls.tls = ssl.create_default_context(cafile=cls.cert)
        db = os.path.join(cls.tmp, "index")
        subprocess.run([BIN, "index", "--quiet", "--db", db,
                        os.path.join(ROOT, "tests", "fixtures", "corpus")],
                       check=True, capture_output=True, timeout=120)
        cls.app = subprocess.Popen([BIN, "serve", "--config", "/dev/null", "--db", db,
                                    "--port", "0"], stderr=subprocess.PIPE, text=True)
        line = cls.app.stderr.readline()
        while line and "listening on" not in line:
            line = cls.app.stderr.readline()
        cls.app_port = int(re.search(r":(\d+)/", line).group(1))
        cls.nginx = None

    @classmethod
    def tearDownClass(cls):
        cls.stop_nginx()
        if cls.app.poll() is None:
            cls.app.terminate()
            cls.app.wait(timeout=10)
        cls.app.stderr.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # --- nginx with the shipped site --------------------------------------

    @classmethod
    def site(cls, upstream_port):
        """The shipped site with this test's ports, paths and certificate;
        every replacement must apply, so a changed site fails here."""
        with open(os.path.join(ROOT, "dist", "proxy", "nginx-teilhabe.conf")) as f:
            text = f.read()
        edits = [
            ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % cls.https),
            ("listen [::]:443 ssl http2;", ""),
            ("listen 80;", "listen 127.0.0.1:%d;" % cls.http),
            ("listen [::]:80;", ""),
            ("/etc/letsencrypt/live/teilhabe.example.org/fullchain.pem", cls.cert),
            ("/etc/letsencrypt/live/teilhabe.example.org/privkey.pem", cls.key),
            ("teilhabe.example.org", "localhost"),
            ("/var/log/nginx/", cls.tmp + "/"),
            ("/var/cache/nginx/teilhabe", os.path.join(cls.tmp, "cache")),
            ("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % upstream_port),
        ]
        for old, new in edits:
            assert old in text, "the shipped site no longer has %r" % old
            text = text.replace(old, new)
        return text

    @classmethod
    def nginx_conf(cls, upstream_port):
        t = cls.tmp
        with open(os.path.join(t, "site.conf"), "w") as f:
            f.write(cls.site(upstream_port))
        path = os.path.join(t, "nginx.conf")
        with open(path, "w") as f:
            f.write("""daemon off;
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
""" % {"t": t})
        return path

    @classmethod
    def start_nginx(cls, upstream_port):
        conf = cls.nginx_conf(upstream_port)
        cls.nginx = subprocess.Popen([NGINX, "-p", cls.tmp, "-c", conf],
                                     stderr=subprocess.PIPE, text=True)
        wait_port(cls.https)

    @classmethod
    def stop_nginx(cls):
        if cls.nginx is not None:
            cls.nginx.terminate()
            cls.nginx.wait(timeout=10)
            cls.nginx.stderr.close()
            cls.nginx = None

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

    # --- the tests, in order ----------------------------------------------

    def test_1_nginx_accepts_the_site(self):
        conf = self.nginx_conf(self.app_port)
        p = subprocess.run([NGINX, "-t", "-p", self.tmp, "-c", conf],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("test is successful", p.stderr)

    def test_2_no_client_address_is_forwarded(self):
        echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        threading.Thread(target=echo.serve_forever, daemon=True).start()
        self.start_nginx(echo.server_address[1])
        try:
            status, _, _ = self.get("/api/search?q=BEM", headers={
                "X-Forwarded-For": CLIENT_IP, "X-Real-IP": CLIENT_IP,
                "Forwarded": "for=" + CLIENT_IP})
            self.assertEqual(status, 200)
        finally:
            self.stop_nginx()
            echo.shutdown()
            echo.server_close()
        self.assertEqual(len(Echo.seen), 1)
        headers = {k.lower(): v for k, v in Echo.seen[0].items()}
        for name in ("x-forwarded-for", "x-real-ip", "forwarded", "via"):
            self.assertNotIn(name, headers)
        for value in headers.values():
            self.assertNotIn(CLIENT_IP, value)
            self.assertNotIn("127.0.0.1", value)  # the real client's address
        self.assertEqual(headers["x-forwarded-proto"], "https")

    def test_3_search_through_tls(self):
        self.start_nginx(self.app_port)
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
            self.assertEqual(headers["Location"],
                             "https://localhost/suche?q=BEM")
            # The stylesheet is cached: it still arrives with teilhabe gone.
            status, _, css = self.get("/static/style.css")
            self.assertEqual(status, 200)
            self.app.terminate()
            self.app.wait(timeout=10)
            self.assertEqual(self.get("/static/style.css")[::2], (200, css))
            self.assertEqual(self.get("/suche?q=BEM")[0], 502)
        finally:
            self.stop_nginx()
        with open(os.path.join(self.tmp, "teilhabe.access.log")) as f:
            log = f.read()
        self.assertIn('"GET /suche"', log)
        self.assertNotIn("q=", log)
        self.assertNotIn("Datenschutz", log)
        self.assertNotIn("127.0.0.1", log)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


if __name__ == "__main__":
    if NGINX is None or shutil.which("openssl") is None:
        print("SKIP: nginx and openssl are needed (tools/deps.sh installs them)")
        sys.exit(77)
    BIN = os.path.abspath(sys.argv[1])
    ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
