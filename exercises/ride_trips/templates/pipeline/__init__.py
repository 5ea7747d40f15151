"""Daily driver features for the marketplace's ETA and supply models.

Reads one raw export of the trips service (trip records partitioned by ingest date,
the cities and pickup-zone dimensions) and writes one row per (driver_id, date) of
the driver's local calendar into ``features.parquet``.
"""
