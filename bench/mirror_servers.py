"""Loopback package-index servers for bench/mirrors.sh (127.0.0.1 only).

Usage: mirror_servers.py READY_FILE BEHAVIOUR...   where BEHAVIOUR is a delay in ms,
"hang" or "drip". Writes one `NAME=URL` line per server to READY_FILE, then serves until
killed (at most 10 minutes).
"""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSIONS = ["23.3", "24.0", "24.1"]
BODY = ("<!DOCTYPE html><html><body>" + "".join(
    '<a href="/files/pip-%s.tar.gz">pip-%s.tar.gz</a><br/>' % (v, v) for v in VERSIONS)
    + "</body></html>").encode()


def handler(behaviour):
    class H(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if behaviour == "hang":
                time.sleep(600)
                return
            if behaviour == "drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(3000):
                    try:
                        self.wfile.write(b"<")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.2)
                return
            time.sleep(int(behaviour) / 1000.0)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
    return H


def main():
    ready, behaviours = sys.argv[1], sys.argv[2:]
    lines = []
    for i, b in enumerate(behaviours):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), handler(b))
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        lines.append("m%d-%s=http://127.0.0.1:%d/simple" % (i, b, srv.server_address[1]))
    with open(ready, "w") as f:
        f.write("\n".join(lines) + "\n")
    time.sleep(600)


main()
