-- MTP schema 17 (SQLite): activity retention (issue 16 item 1 of the capacity work). SQLite has
-- no partitions: mtpd's activity retention job deletes events older than the retention in
-- batches, found through this index (every other activity index starts with provider_id).
-- The same logical schema as ../postgresql/017_activity_partitions.sql (partitioned by month
-- there, with the same index on `timestamp`).

CREATE INDEX activity_time ON activity (timestamp);
