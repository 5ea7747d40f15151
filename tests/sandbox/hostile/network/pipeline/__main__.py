"""Tries to reach the host: interfaces, routes, and listeners the test opened."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


import json, socket, errno
cfg = json.load(open(os.path.join(INP, "net.json")))
ifaces = [l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:]]
routes = open("/proc/net/route").read().splitlines()[1:]
print("IFACES=" + ",".join(sorted(ifaces)))
print("ROUTES=%d" % len(routes))
for host in cfg["hosts"]:
    s = socket.socket(); s.settimeout(2)
    try:
        s.connect((host, cfg["port"]))
        print("CONNECTED", host)
    except OSError as exc:
        print("BLOCKED", host, errno.errorcode.get(exc.errno, exc.errno))
    finally:
        s.close()
features()
