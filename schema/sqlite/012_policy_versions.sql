-- MTP schema 12 (SQLite): policies in the database (issue 16 item 2). Versions are immutable;
-- policy_active (one row) points at the version every mtpd runs, and a trigger appends
-- 'policy:<version>' to change_log (007_change_feed.sql) when it moves. The same logical
-- schema as ../postgresql/012_policy_versions.sql, which says more.

CREATE TABLE policy_versions (
  version INTEGER PRIMARY KEY,
  created INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  CHECK (version > 0)
);

CREATE TABLE policy_files (
  version INTEGER NOT NULL REFERENCES policy_versions (version),
  path TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (version, path)
);

CREATE TABLE policy_active (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL REFERENCES policy_versions (version),
  changed INTEGER NOT NULL,
  changed_by TEXT NOT NULL,
  CHECK (id = 1)
);

-- policy_active: 'policy:<version>'.
CREATE TRIGGER change_policy_active_insert AFTER INSERT ON policy_active BEGIN INSERT INTO change_log (kind, ref) VALUES ('policy', NEW.version); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_policy_active_update AFTER UPDATE ON policy_active BEGIN INSERT INTO change_log (kind, ref) VALUES ('policy', NEW.version); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
