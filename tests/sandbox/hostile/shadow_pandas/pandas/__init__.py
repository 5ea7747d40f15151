"""Shadows the real pandas: whatever the pipeline writes is junk."""


class DataFrame:
    def __init__(self, data):
        self.data = data

    def to_parquet(self, path):
        with open(path, "wb") as f:
            f.write(b"PAR1 not really parquet PAR1")
