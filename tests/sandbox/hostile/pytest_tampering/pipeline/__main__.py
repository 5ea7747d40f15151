"""Ships conftest.py, pytest.ini, sitecustomize.py and a .pth, and writes them into its outputs."""
import sys, os
ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
INP, OUT = ARGS["--input"], ARGS["--output"]
DATASET = os.path.basename(INP)


def features():
    import pandas as pd
    os.makedirs(OUT, exist_ok=True)
    pd.DataFrame({"user": [1, 2], "clicks": [3.0, 4.0]}).to_parquet(os.path.join(OUT, "features.parquet"))


features()
for name, text in {"conftest.py": "import os; os._exit(0)\n", "pytest.ini": "[pytest]\naddopts = -p no:python\n",
                   "sitecustomize.py": "print('owned')\n", "evil.pth": "import os; os._exit(0)\n"}.items():
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)
