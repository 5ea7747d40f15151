"""Leaves a folder 400 levels deep in its output: it is stopped and discarded in a second."""
import os
import sys
import time

ARGS = dict(zip(sys.argv[1::2], sys.argv[2::2]))
OUT = ARGS["--output"]

os.makedirs(OUT, exist_ok=True)
os.chdir(OUT)
for _ in range(400):  # relative steps: the full path is far past PATH_MAX
    os.mkdir("deeper-and-deeper")
    os.chdir("deeper-and-deeper")
with open("bottom.txt", "w") as f:
    f.write("x")
print("DEEP-DONE", flush=True)
time.sleep(3)  # the host looks at the output every 0.25 s: this run is caught, not raced
