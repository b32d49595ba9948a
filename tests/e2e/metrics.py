#!/usr/bin/env python3
"""tests/e2e/metrics.py FILE — /metrics as Prometheus reads it (issue 15).

Parsed by the Prometheus client's own text parser (an independent reading
of the exposition format); then the request series must carry the `code`
and `method` labels, and the process, build, ingest and size metrics must
be there with plausible values. Exits 1 with the reasons otherwise."""
import sys

from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1], encoding="utf-8").read()
fams = {f.name: f for f in text_string_to_metric_families(text)}
bad = []


def samples(name):
    f = fams.get(name)
    return f.samples if f else []


req = samples("basisd_http_requests")  # the parser strips _total
if not req:
    bad.append("no basisd_http_requests_total")
for s in req:
    if set(s.labels) != {"route", "method", "code"}:
        bad.append(f"request labels {sorted(s.labels)}")
if not any(s.labels.get("method") == "POST" and s.labels.get("code") == "201"
           for s in req):
    bad.append("no POST 201 counted")
for name, low in [("process_start_time_seconds", 1e9),
                  ("process_resident_memory_bytes", 1e6),
                  ("process_open_fds", 3),
                  ("basisd_last_ingest_timestamp_seconds", 1e9),
                  ("basisd_ledger_bytes", 4096),
                  ("basisd_rrd_bytes", 4096)]:
    vals = [s.value for s in samples(name)]
    if len(vals) != 1 or vals[0] < low:
        bad.append(f"{name} = {vals} (expected one value >= {low:g})")
if [s.labels for s in samples("basisd_build_info")] == []:
    bad.append("no basisd_build_info")
print("\n".join(bad) or f"{len(fams)} metric families")
sys.exit(1 if bad else 0)
