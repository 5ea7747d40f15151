"""Daily user features for the storefront's ranking and churn models.

Reads one raw export (click and purchase events partitioned by UTC date, the users
table, the product catalogue) and writes one row per (user_id, date) of the store's
local calendar into ``features.parquet``.
"""
