"""Reads its environment, identity and privileges; tries to gain more and to write."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


import json
status = dict(l.split(":\t", 1) for l in open("/proc/self/status").read().splitlines() if ":\t" in l)
report = {"env": sorted(os.environ), "uid": os.getuid(), "gid": os.getgid(),
          "capeff": status["CapEff"].strip(), "nonewprivs": status["NoNewPrivs"].strip()}
try:
    os.setuid(0); report["setuid"] = "ok"
except OSError as exc:
    report["setuid"] = exc.strerror
writes = {}
for path in ("/work/x", "/work/pipeline/x", INP + "/x", "/x", "/usr/x", "/graders/x"):
    try:
        open(path, "w").close(); writes[path] = "ok"
    except OSError as exc:
        writes[path] = exc.strerror
report["writes"] = writes
print("REPORT=" + json.dumps(report), flush=True)
features()
