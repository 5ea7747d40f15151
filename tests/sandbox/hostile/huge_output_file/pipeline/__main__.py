"""One file past the fsize limit: the write fails with EFBIG (Python ignores SIGXFSZ); the file stops at the limit."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


os.makedirs(OUT, exist_ok=True)
try:
    with open(os.path.join(OUT, "huge.bin"), "wb") as f:
        while True:
            f.write(b"\2" * 1024 * 1024)
except OSError as exc:
    print("BIG-STOPPED", exc.strerror, flush=True)
