-- MTP schema 18 (SQLite): an admin's grants in org order from one index.
-- `SELECT ... FROM admin_org_grants WHERE provider_id = ? AND admin_id = ? ORDER BY org_id` runs
-- on every authorized request whose snapshot is cold and on /me. With (provider_id, admin_id)
-- and (provider_id, org_id) only, SQLite without statistics read it through the org index,
-- every grant of the provider (/me at 10k orgs + 10k admins: 24 requests/s; docs/scaling.md).
-- This index answers the filter and the order at once, with or without statistics, and
-- replaces (provider_id, admin_id), which is its prefix.

CREATE INDEX admin_org_grants_provider_admin_org ON admin_org_grants (provider_id, admin_id, org_id);
DROP INDEX admin_org_grants_provider_admin;
