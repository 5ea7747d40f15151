"""os._exit(0) with output still buffered: exit 0, the buffered text is lost."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


sys.stdout.write("buffered but never flushed")
os._exit(0)
