-- MTP schema 11 (SQLite): issue 11 items 1 and 2. The same logical schema as
-- ../postgresql/011_versions_idempotency.sql. Times are INTEGER Unix seconds (UTC).
--
-- `version`: optimistic concurrency. Every resource with a PUT or DELETE route carries a row
-- version, 1 when created and raised by every store statement that changes the row; the API
-- shows it as a strong ETag and compares If-Match with it under the row lock.
ALTER TABLE organizations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE admins ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE system_users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Idempotency-Key of POST requests. `key_hash` is the SHA-256 (hex) of the principal (admin id
-- and provider), the method, the path and the client's key, so keys of different callers never
-- meet. A row is reserved (status NULL, `lease_until` bounding how long the request may run)
-- before the request runs; `committed` is set to 1 inside the transaction of the request's
-- write (so it commits with it, or not at all); the answer (status, content type, body) is
-- stored once the request ends with a 2xx or 4xx. Rows older than 24 h are purged.
CREATE TABLE idempotency_keys (
  key_hash TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  created INTEGER NOT NULL,
  lease_until INTEGER NOT NULL,
  committed INTEGER NOT NULL DEFAULT 0,
  status INTEGER,
  content_type TEXT,
  body TEXT
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created);
