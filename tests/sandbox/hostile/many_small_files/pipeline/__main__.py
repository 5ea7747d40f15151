"""Writes many tiny files: past the file-count cap the outputs are discarded."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


os.makedirs(OUT, exist_ok=True)
for i in range(50000):  # no pandas import: the file count must grow from the first second
    fd = os.open(os.path.join(OUT, "s%05d" % i), os.O_WRONLY | os.O_CREAT)
    os.write(fd, b"1")
    os.close(fd)
