-- MTP schema 7 (SQLite): the change feed (issue 16 item 1). One machine, so no NOTIFY: every
-- committed change that the engine or authentication depends on appends a row to change_log
-- (by trigger, in the writing transaction), and each mtpd polls MAX(seq) about every 100 ms
-- (service/store/sqlite_change_feed.cc). The log keeps its last 10,000 rows: a reader that
-- finds its last seen row gone has missed changes and reloads in full. Kinds and ids as in
-- ../postgresql/007_change_feed.sql.

CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL
);

-- providers: 'provider:<id>'.
CREATE TRIGGER change_providers_insert AFTER INSERT ON providers BEGIN INSERT INTO change_log (kind, ref) VALUES ('provider', NEW.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_providers_update AFTER UPDATE OF require_admin_mfa ON providers BEGIN INSERT INTO change_log (kind, ref) VALUES ('provider', NEW.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_providers_delete AFTER DELETE ON providers BEGIN INSERT INTO change_log (kind, ref) VALUES ('provider', OLD.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;

-- organizations: 'org:<id>'.
CREATE TRIGGER change_organizations_insert AFTER INSERT ON organizations BEGIN INSERT INTO change_log (kind, ref) VALUES ('org', NEW.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_organizations_update AFTER UPDATE OF name ON organizations BEGIN INSERT INTO change_log (kind, ref) VALUES ('org', NEW.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_organizations_delete AFTER DELETE ON organizations BEGIN INSERT INTO change_log (kind, ref) VALUES ('org', OLD.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;

-- organization_tags: 'org:<org_id>'.
CREATE TRIGGER change_organization_tags_insert AFTER INSERT ON organization_tags BEGIN INSERT INTO change_log (kind, ref) VALUES ('org', NEW.org_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_organization_tags_update AFTER UPDATE ON organization_tags BEGIN INSERT INTO change_log (kind, ref) VALUES ('org', NEW.org_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_organization_tags_delete AFTER DELETE ON organization_tags BEGIN INSERT INTO change_log (kind, ref) VALUES ('org', OLD.org_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;

-- admins: 'admin:<id>'.
CREATE TRIGGER change_admins_insert AFTER INSERT ON admins BEGIN INSERT INTO change_log (kind, ref) VALUES ('admin', NEW.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_admins_update AFTER UPDATE OF email, role_name, status, enable_multi_factor, api_key_allowed, all_organizations ON admins BEGIN INSERT INTO change_log (kind, ref) VALUES ('admin', NEW.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_admins_delete AFTER DELETE ON admins BEGIN INSERT INTO change_log (kind, ref) VALUES ('admin', OLD.id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;

-- admin_org_grants: 'admin:<admin_id>'.
CREATE TRIGGER change_admin_org_grants_insert AFTER INSERT ON admin_org_grants BEGIN INSERT INTO change_log (kind, ref) VALUES ('admin', NEW.admin_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_admin_org_grants_update AFTER UPDATE ON admin_org_grants BEGIN INSERT INTO change_log (kind, ref) VALUES ('admin', NEW.admin_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_admin_org_grants_delete AFTER DELETE ON admin_org_grants BEGIN INSERT INTO change_log (kind, ref) VALUES ('admin', OLD.admin_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;

-- sessions: 'session:<jti>'.
CREATE TRIGGER change_sessions_update AFTER UPDATE OF revoked_at ON sessions BEGIN INSERT INTO change_log (kind, ref) VALUES ('session', NEW.jti); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;

-- api_keys: 'api_key:<admin_id>'.
CREATE TRIGGER change_api_keys_insert AFTER INSERT ON api_keys BEGIN INSERT INTO change_log (kind, ref) VALUES ('api_key', NEW.admin_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
CREATE TRIGGER change_api_keys_update AFTER UPDATE OF revoked_at ON api_keys BEGIN INSERT INTO change_log (kind, ref) VALUES ('api_key', NEW.admin_id); DELETE FROM change_log WHERE seq <= last_insert_rowid() - 10000; END;
