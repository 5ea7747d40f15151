"""Output links to /etc/passwd and .., a hard link and a fifo: only regular files come back."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


features()
os.symlink("/etc/passwd", os.path.join(OUT, "passwd.parquet"))
os.symlink("..", os.path.join(OUT, "up"))
os.symlink("../../../../../../etc", os.path.join(OUT, "etc"))
os.link(os.path.join(OUT, "features.parquet"), os.path.join(OUT, "hard.parquet"))
os.mkfifo(os.path.join(OUT, "pipe"))
