-- MTP schema 17 (PostgreSQL): the activity log partitioned by month (issue 16 item 1 of the
-- capacity work; docs/scaling.md). Declarative range partitioning on `timestamp`: one table per
-- UTC month (activity_pYYYYMM) and a DEFAULT partition for anything outside them (an event
-- from before the first month, or beyond the months made ahead). mtpd's activity retention job
-- (service/main, one replica at a time) makes the next months ahead, moves rows of a month it
-- makes out of the default partition, drops months older than the retention and deletes older
-- rows left in the month that straddles it in batches (store: soci_activity_retention.cc).
-- The primary key must hold the partition key: (id, timestamp); ids stay unique in practice
-- (random), and every read names the provider and a time order. The indexes are those of 001
-- (paging by search_after: provider_id, timestamp, id) plus `timestamp` alone for retention.
-- This migration converts an existing table in its transaction: it copies every row once.
-- pg_partman (postgresql-15-partman) is in Debian 12 but needs CREATE EXTENSION in the
-- database (and its background worker in shared_preload_libraries): our own code needs neither.
-- The same logical schema as ../sqlite/017_activity_partitions.sql.

ALTER TABLE activity RENAME TO activity_unpartitioned;
ALTER TABLE activity_unpartitioned RENAME CONSTRAINT activity_pkey TO activity_unpartitioned_pkey;
DROP INDEX activity_provider_time;
DROP INDEX activity_provider_type_time;
DROP INDEX activity_provider_org_time;
DROP INDEX activity_provider_initiator_time;

CREATE TABLE activity (
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  timestamp TIMESTAMPTZ NOT NULL,
  event_type TEXT NOT NULL,
  initiated_by_id TEXT NOT NULL DEFAULT '',
  initiated_by_type TEXT NOT NULL DEFAULT '',
  initiated_by_email TEXT NOT NULL DEFAULT '',
  organization TEXT,
  resource_type TEXT NOT NULL DEFAULT '',
  resource_id TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '[]',
  client_ip TEXT NOT NULL DEFAULT '',
  auth_method TEXT NOT NULL DEFAULT '',
  success BOOLEAN NOT NULL DEFAULT TRUE,
  PRIMARY KEY (id, timestamp)
) PARTITION BY RANGE (timestamp);
CREATE TABLE activity_default PARTITION OF activity DEFAULT;
CREATE INDEX activity_provider_time ON activity (provider_id, timestamp, id);
CREATE INDEX activity_provider_type_time ON activity (provider_id, event_type, timestamp);
CREATE INDEX activity_provider_org_time ON activity (provider_id, organization, timestamp);
CREATE INDEX activity_provider_initiator_time ON activity (provider_id, initiated_by_id, timestamp);
CREATE INDEX activity_time ON activity (timestamp);

-- One partition per UTC month from the oldest event's month (or this month) to two months ahead.
DO $$
DECLARE
  m TIMESTAMP;
BEGIN
  FOR m IN SELECT generate_series(
      date_trunc('month', COALESCE((SELECT MIN(timestamp) FROM activity_unpartitioned), now()) AT TIME ZONE 'UTC'),
      date_trunc('month', now() AT TIME ZONE 'UTC') + INTERVAL '2 months', INTERVAL '1 month') LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF activity FOR VALUES FROM (%L) TO (%L)',
                   'activity_p' || to_char(m, 'YYYYMM'), to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
                   to_char(m + INTERVAL '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
  END LOOP;
END
$$;

INSERT INTO activity (id, provider_id, timestamp, event_type, initiated_by_id, initiated_by_type,
                      initiated_by_email, organization, resource_type, resource_id, changes,
                      client_ip, auth_method, success)
  SELECT id, provider_id, timestamp, event_type, initiated_by_id, initiated_by_type,
         initiated_by_email, organization, resource_type, resource_id, changes, client_ip,
         auth_method, success
  FROM activity_unpartitioned;
DROP TABLE activity_unpartitioned;
