#!/usr/bin/env python3
"""tests/e2e/edge.py — what curl cannot do for tests/e2e/edge.sh.

  edge.py utf8-loop PORT PID N   N requests with invalid UTF-8 over one
                                 keep-alive connection; prints the daemon's
                                 VmRSS in kB before and after
  edge.py slowloris PORT N SECS  N connections that each send one header
                                 byte every 2 s (from 127.0.0.2-10) while
                                 legitimate requests are timed for SECS;
                                 prints the slowest legitimate answer
  edge.py v4 PORT                one GET /healthz to 127.0.0.1 (dual stack)
"""
import http.client
import socket
import sys
import threading
import time

BAD = ["/api/v1/indicators/%ff", "/api/v1/series/%ff/pw_bestand",
       "/api/v1/series/GM0363/pw_bestand?van=%ff",
       "/api/v1/vergelijk/pw_bestand?groep=%ff",
       "/api/v1/gemeenten/GM0363/vergelijkbaar?k=%c0%af"]


def rss_kb(pid):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def utf8_loop(port, pid, n):
    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
    statuses = set()

    def burst(k):
        for i in range(k):
            c.request("GET", BAD[i % len(BAD)])
            r = c.getresponse()
            r.read()
            statuses.add(r.status)
    burst(3000)  # warm up: thread stacks, allocator arenas, shadow pages
    before = rss_kb(pid)
    burst(int(n))
    after = rss_kb(pid)
    print(before, after, ",".join(str(s) for s in sorted(statuses)))


def slow_client(port, stop, opened, i):
    try:
        s = socket.socket()
        # Nine source addresses, so the per-IP limit (32) is no defence
        # and the flood stands for many clients.
        s.bind(("127.0.0.%d" % (2 + i % 9), 0))
        s.settimeout(5)
        s.connect(("127.0.0.1", int(port)))
    except OSError:
        return
    opened.append(s)
    # A request line that never ends, one byte at a time.
    for b in b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 10000:
        if stop.is_set():
            break
        try:
            s.send(bytes([b]))
        except OSError:
            # Cut off by the server: come back, as an attacker would.
            return slow_client(port, stop, opened, i)
        stop.wait(2)
    s.close()


def slowloris(port, n, secs):
    stop = threading.Event()
    opened = []
    threads = [threading.Thread(target=slow_client,
                                args=(port, stop, opened, i), daemon=True)
               for i in range(int(n))]
    for t in threads:
        t.start()
    time.sleep(3)  # let the flood build up
    worst = 0.0
    failed = 0
    end = time.time() + float(secs)
    while time.time() < end:
        t0 = time.time()
        try:
            c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=15)
            c.request("GET", "/healthz")
            r = c.getresponse()
            r.read()
            c.close()
            if r.status != 200:
                failed += 1
        except OSError:
            failed += 1
        worst = max(worst, time.time() - t0)
        time.sleep(0.5)
    stop.set()
    print("%.2f %d %d" % (worst, failed, len(opened)))


def v4(port):
    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
    c.request("GET", "/healthz")
    print(c.getresponse().status)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"utf8-loop": utf8_loop, "slowloris": slowloris, "v4": v4}[cmd](*args)
