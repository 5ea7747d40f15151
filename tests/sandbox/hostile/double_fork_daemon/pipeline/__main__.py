"""Leaves a daemon holding stdout and writing outputs after exit; none may survive the run."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


import time
strays = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()
          and "Uid:\t10001" in open("/proc/%s/status" % p).read()]
print("STRAYS=%d" % len(strays), flush=True)
features()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:  # keeps the inherited stdout open and keeps writing
            with open(os.path.join(OUT, "late.txt"), "a") as f:
                f.write("x")
            time.sleep(0.1)
    os._exit(0)
os._exit(0)
