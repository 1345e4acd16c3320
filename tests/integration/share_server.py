"""An HTTP(S) share for the tests: a real web server on 127.0.0.1 (http.server, doing what a web
server or CDN does: ETag, Last-Modified, 304, Range requests) with faults a test switches on,
and the certificates of a private CA made with `openssl` at test time for its HTTPS side.

Standard library only (and the openssl command): run with Debian's /usr/bin/python3."""

import email.utils
import hashlib
import http.server
import os
import ssl
import subprocess
import threading
import time
import urllib.parse
from collections import namedtuple

Request = namedtuple("Request", "path headers status")

TlsFiles = namedtuple("TlsFiles", "ca server_cert server_key other_cert other_key")


def make_tls_files(folder):
    """A private CA, a server certificate it signed for 127.0.0.1 and localhost, and one it
    signed for another host name only (EC P-256 keys: made in milliseconds)."""
    os.makedirs(folder, exist_ok=True)
    path = lambda name: os.path.join(folder, name)  # noqa: E731

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=30)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2",
            "-subj", "/CN=signage-player test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def server_cert(name, common_name, alt_names):
        with open(path(name + ".ext"), "w", encoding="utf-8") as f:
            f.write(f"subjectAltName={alt_names}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        openssl("req", *key, "-keyout", path(name + ".key"), "-out", path(name + ".csr"),
                "-subj", f"/CN={common_name}")
        openssl("x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "2", "-out", path(name + ".pem"), "-extfile", path(name + ".ext"))
        return path(name + ".pem"), path(name + ".key")

    server = server_cert("server", "127.0.0.1", "IP:127.0.0.1,DNS:localhost")
    other = server_cert("other", "cdn.example.com", "DNS:cdn.example.com")
    return TlsFiles(path("ca.pem"), *server, *other)


class ShareServer:
    """Serves the files below `root` over HTTP/1.1 (keep-alive), with faults a test switches on.
    With `tls` (a certificate file and its key), over HTTPS."""

    def __init__(self, root, tls=None):
        self.root = root
        self.requests = []  # every request answered, in order
        self.cut_after = {}  # URL path -> bytes of the body sent before the connection is dropped (once)
        self.cut_always = {}  # URL path -> the same, every time
        self.replace = {}  # URL path -> bytes served instead of the file's
        self.redirect = {}  # URL path prefix -> the prefix it is redirected to (302)
        self.ignore_range = False
        self.trickle = {}  # URL path -> bytes a second its body is sent at (a link that crawls)
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Head and body go out as two writes: without this, each response waits for the
            # client's delayed ACK (40 ms), as no real server makes it wait.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.answer(self)

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # the player hangs up on purpose (a body larger than listed): not news

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            # The handshake happens in accept(); a client that refuses the certificate makes it
            # raise an OSError there, which the server loop ignores.
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}/"
        self.running = True

    def stop(self):
        if self.running:
            self.running = False
            self.httpd.shutdown()
            self.httpd.server_close()

    def take_requests(self):
        """The requests answered since the last call: [(path, status)], and the full records."""
        with self.lock:
            taken, self.requests = self.requests, []
        return [(r.path, r.status) for r in taken], taken

    def answer(self, h):
        path = urllib.parse.unquote(urllib.parse.urlsplit(h.path).path)
        for prefix, target in self.redirect.items():
            if path.startswith(prefix):
                location = target + h.path[len(prefix):]
                return self.send(h, path, 302, b"", {"Location": location})
        with self.lock:
            data = self.replace.get(path)
            cut = self.cut_after.pop(path, self.cut_always.get(path))
        mtime = 0
        if data is None:
            file = os.path.realpath(os.path.join(self.root, path.lstrip("/")))
            if not file.startswith(self.root + os.sep) or not os.path.isfile(file):
                return self.send(h, path, 404, b"not found\n")
            with open(file, "rb") as f:
                data = f.read()
            mtime = os.path.getmtime(file)
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(mtime, usegmt=True)}
        if h.headers.get("If-None-Match") == etag:
            return self.send(h, path, 304, None, headers)
        status, body = 200, data
        wanted = h.headers.get("Range")
        if wanted and not self.ignore_range:
            first = int(wanted.removeprefix("bytes=").removesuffix("-"))  # the player asks "bytes=N-" only
            if first >= len(data):
                return self.send(h, path, 416, b"", {"Content-Range": f"bytes */{len(data)}"})
            status, body = 206, data[first:]
            headers["Content-Range"] = f"bytes {first}-{len(data) - 1}/{len(data)}"
        self.send(h, path, status, body, headers, cut)

    def send(self, h, path, status, body, headers=None, cut=None):
        with self.lock:
            self.requests.append(Request(path, dict(h.headers), status))
        h.send_response(status)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        if body is not None:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if cut is not None:
            h.wfile.write(body[:cut])
            h.close_connection = True  # the rest never comes: the client sees the connection close
        elif body and path in self.trickle:
            piece = max(1, self.trickle[path] // 10)  # a tenth of a second's worth
            try:
                for start in range(0, len(body), piece):
                    h.wfile.write(body[start:start + piece])
                    h.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                h.close_connection = True  # the client hung up
        elif body:
            h.wfile.write(body)
