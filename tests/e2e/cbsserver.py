#!/usr/bin/python3
"""cbsserver.py — a stand-in for CBS StatLine's OData v3 service over TLS,
for tests/e2e/cbs.sh (no internet in tests).

Usage: cbsserver.py DATA_DIR CERT KEY PORT_FILE LOG_FILE

Serves DATA_DIR/<tabel>/<Doc>.json at /ODataApi/odata/<tabel>/<Doc> and
DATA_DIR/<tabel>/TypedDataSet-skipN.json for TypedDataSet?$skip=N, with
@BASE@ replaced by this server's https://127.0.0.1:PORT/ODataApi/odata, so
odata.nextLink points back here. Listens on a free 127.0.0.1 port, writes
it to PORT_FILE and appends each request path to LOG_FILE.
"""
import os
import ssl
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

DATA, CERT, KEY, PORT_FILE, LOG = sys.argv[1:6]
PREFIX = "/ODataApi/odata/"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(self.path + "\n")
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if not url.path.startswith(PREFIX):
            return self.send_error(404)
        name = url.path[len(PREFIX):]
        if "$skip" in q:
            name += "-skip" + q["$skip"][0]
        path = os.path.join(DATA, name + ".json")
        if ".." in name or not os.path.isfile(path):
            return self.send_error(404)
        base = "https://127.0.0.1:%d/ODataApi/odata" % self.server.server_port
        with open(path, encoding="utf-8") as f:
            body = f.read().replace("@BASE@", base).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


srv = HTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_port))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
