-- The storage key of a Parquet snapshot of a data source's canonical records, written by the ingestion that
-- wrote its rows in `records` (NULL when there is none: a derived carry-forward source, or an ingestion
-- before this migration). A reconciliation job reads the snapshot into DuckDB instead of dumping the same
-- rows back out of PostgreSQL (1M records: ~0.3 s against ~1.9 s of dump plus ~1.5 s of CSV reading per
-- side, measured in the platform benchmark). The records in PostgreSQL stay the source of truth that pages,
-- review and exports read; the snapshot is replaced and deleted together with them.
ALTER TABLE data_sources ADD COLUMN snapshot_key text;
