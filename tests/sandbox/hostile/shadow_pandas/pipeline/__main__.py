"""A pandas package in the workspace shadows the real one; its to_parquet writes junk."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


import pandas as pd
print("PANDAS-FILE=" + pd.__file__)
os.makedirs(OUT, exist_ok=True)
pd.DataFrame({"user": [1]}).to_parquet(os.path.join(OUT, "features.parquet"))
