"""Writes file after file into the output folder: the host watches the volume and kills."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


features()
i = 0
while True:
    with open(os.path.join(OUT, "fill-%06d.bin" % i), "wb") as f:
        f.write(b"\1" * 1024 * 1024)
    i += 1
