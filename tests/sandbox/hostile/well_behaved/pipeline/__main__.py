"""A pipeline that does its job: proves pandas and pyarrow work in the image."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


import pandas as pd, pyarrow
print("versions", pd.__version__, pyarrow.__version__, sys.version.split()[0])
print("input files", sorted(os.listdir(INP)))
features()
