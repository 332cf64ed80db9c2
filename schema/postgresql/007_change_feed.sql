-- MTP schema 7 (PostgreSQL): the change feed (issue 16 item 1). Every committed change that
-- the engine or authentication depends on is announced to every replica: a trigger calls
-- pg_notify('mtp:<schema>', '<kind>:<id>') inside the writing transaction, so it is delivered
-- on commit only (and not at all on rollback); each mtpd LISTENs on one connection
-- (service/store/pg_change_feed.cc). Kinds: provider (the MFA requirement too), org (its tags
-- too), admin (its grants too), session (revoked), api_key (issued or revoked; id: the admin).
-- The same logical schema as ../sqlite/007_change_feed.sql (a change_log table there).

CREATE FUNCTION mtp_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('mtp:' || TG_TABLE_SCHEMA, TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
  ELSE
    PERFORM pg_notify('mtp:' || TG_TABLE_SCHEMA, TG_ARGV[0] || ':' || (to_jsonb(NEW) ->> TG_ARGV[1]));
  END IF;
  RETURN NULL;
END
$$;

-- providers: 'provider:<id>'.
CREATE TRIGGER change_providers_insert AFTER INSERT ON providers FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('provider', 'id');
CREATE TRIGGER change_providers_update AFTER UPDATE OF require_admin_mfa ON providers FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('provider', 'id');
CREATE TRIGGER change_providers_delete AFTER DELETE ON providers FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('provider', 'id');

-- organizations: 'org:<id>'.
CREATE TRIGGER change_organizations_insert AFTER INSERT ON organizations FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('org', 'id');
CREATE TRIGGER change_organizations_update AFTER UPDATE OF name ON organizations FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('org', 'id');
CREATE TRIGGER change_organizations_delete AFTER DELETE ON organizations FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('org', 'id');

-- organization_tags: 'org:<org_id>'.
CREATE TRIGGER change_organization_tags_insert AFTER INSERT ON organization_tags FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('org', 'org_id');
CREATE TRIGGER change_organization_tags_update AFTER UPDATE ON organization_tags FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('org', 'org_id');
CREATE TRIGGER change_organization_tags_delete AFTER DELETE ON organization_tags FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('org', 'org_id');

-- admins: 'admin:<id>'.
CREATE TRIGGER change_admins_insert AFTER INSERT ON admins FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('admin', 'id');
CREATE TRIGGER change_admins_update AFTER UPDATE OF email, role_name, status, enable_multi_factor, api_key_allowed, all_organizations ON admins FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('admin', 'id');
CREATE TRIGGER change_admins_delete AFTER DELETE ON admins FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('admin', 'id');

-- admin_org_grants: 'admin:<admin_id>'.
CREATE TRIGGER change_admin_org_grants_insert AFTER INSERT ON admin_org_grants FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('admin', 'admin_id');
CREATE TRIGGER change_admin_org_grants_update AFTER UPDATE ON admin_org_grants FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('admin', 'admin_id');
CREATE TRIGGER change_admin_org_grants_delete AFTER DELETE ON admin_org_grants FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('admin', 'admin_id');

-- sessions: 'session:<jti>'.
CREATE TRIGGER change_sessions_update AFTER UPDATE OF revoked_at ON sessions FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('session', 'jti');

-- api_keys: 'api_key:<admin_id>'.
CREATE TRIGGER change_api_keys_insert AFTER INSERT ON api_keys FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('api_key', 'admin_id');
CREATE TRIGGER change_api_keys_update AFTER UPDATE OF revoked_at ON api_keys FOR EACH ROW EXECUTE FUNCTION mtp_change_notify('api_key', 'admin_id');
