"""Fills /tmp; the tmpfs cap stops it, and the next run finds /tmp empty."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


left = os.listdir("/tmp")
print("TMP-LEFT=%d" % len(left), flush=True)
try:
    with open("/tmp/fill-%s" % DATASET, "wb") as f:
        while True:
            f.write(b"\0" * 1024 * 1024)
            f.flush()
except OSError as exc:
    print("TMP-FULL", exc.strerror, flush=True)
features()
