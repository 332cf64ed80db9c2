-- MTP schema 12 (PostgreSQL): policies in the database for a cluster (issue 16 item 2).
-- `mtpctl policy push` stores a compiled-and-checked policy folder as a new version (its files
-- as rows of policy_files) and points policy_active at it; `mtpctl policy rollback` moves the
-- pointer back to an older version (no new version is written: the versions are immutable and
-- the pointer row says who moved it when). A trigger on the pointer sends 'policy:<version>'
-- on the change feed (007_change_feed.sql) inside the writing transaction, so every mtpd
-- started with --policies-from-db compiles and swaps in the new active set on commit.
-- The same logical schema as ../sqlite/012_policy_versions.sql.

CREATE TABLE policy_versions (
  version BIGINT PRIMARY KEY,
  created TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  content_hash TEXT NOT NULL,  -- the engine's set version (PolicySet::version, 16 hex digits)
  CHECK (version > 0)
);

CREATE TABLE policy_files (
  version BIGINT NOT NULL REFERENCES policy_versions (version),
  path TEXT NOT NULL,  -- relative to the pushed folder
  text TEXT NOT NULL,
  PRIMARY KEY (version, path)
);

-- At most one row (id 1): the version every replica runs.
CREATE TABLE policy_active (
  id INTEGER PRIMARY KEY,
  version BIGINT NOT NULL REFERENCES policy_versions (version),
  changed TIMESTAMPTZ NOT NULL,
  changed_by TEXT NOT NULL,
  CHECK (id = 1)
);

-- policy_active: 'policy:<version>'.
CREATE TRIGGER change_policy_active_insert AFTER INSERT ON policy_active FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('policy', 'version');
CREATE TRIGGER change_policy_active_update AFTER UPDATE ON policy_active FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('policy', 'version');
