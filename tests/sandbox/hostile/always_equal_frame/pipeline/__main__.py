"""A DataFrame subclass whose comparisons always succeed, pickled next to a wrong Parquet."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


import pickle
import pandas as pd


class Always(pd.DataFrame):
    def __eq__(self, other):
        return True

    def equals(self, other):
        return True


os.makedirs(OUT, exist_ok=True)
frame = Always({"user": [0], "clicks": [0.0]})
pd.DataFrame(frame).to_parquet(os.path.join(OUT, "features.parquet"))
with open(os.path.join(OUT, "features.pkl"), "wb") as f:
    pickle.dump(frame, f)
