"""Point-in-time fraud features, one row per card transaction.

Reads one raw export of the issuer's authorisation feed (``transactions.parquet``), the
merchant registry (``merchants.csv``) and the chargeback feed (``chargebacks.csv``) and
writes ``features.parquet``: for every authorisation attempt, what was known about its
card and merchant at the moment of the attempt, and whether it later proved fraudulent.
"""
