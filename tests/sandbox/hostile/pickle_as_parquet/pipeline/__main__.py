"""Writes a pickle where Parquet is expected."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


import pickle
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "features.parquet"), "wb") as f:
    pickle.dump({"user": [1, 2]}, f)
