"""Makes 100k empty folders: no byte is written, yet the entry cap stops it in a second or two."""
import os
import sys

ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
OUT = ARGS["--output"]

os.makedirs(OUT, exist_ok=True)
for i in range(100_000):
    os.mkdir(os.path.join(OUT, "e%06d" % i))
print("EMPTY-DONE")
