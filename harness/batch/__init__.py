"""Grading a round: many candidates, each with a variant of their own.

``round`` makes the variants, ``manifest`` reads and writes the round's CSV, ``controller``
grades a batch (one writer, many workers), ``gradebook`` is the SQLite record of it, and
``similar`` compares candidates' changes across a round.
"""
