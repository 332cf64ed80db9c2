-- MTP schema 16 (PostgreSQL): issue 11, what 011 left. The same logical schema as
-- ../sqlite/016_settings_versions.sql.
--
-- `version` (optimistic concurrency, as in 011): the remaining resources with a PUT or DELETE
-- route. 1 when the row is created, raised by every store statement that changes it; the API
-- shows it as a strong ETag and compares If-Match with it under the row lock. A settings
-- document whose row does not exist yet (defaults) has version 0.
ALTER TABLE providers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE billing_information ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE org_password_policies ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE admin_home ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE psa_integrations ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE saved_commands ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- An org's MDM items are several rows (one per kind, possibly none): their version is a
-- counter on the org's row, raised by every PUT .../mdm that changes them (0: never set).
ALTER TABLE organizations ADD COLUMN mdm_version BIGINT NOT NULL DEFAULT 0;

-- A replayed Idempotency-Key answer carries the first answer's headers that matter
-- (Location, ETag): "Name: value" lines.
ALTER TABLE idempotency_keys ADD COLUMN headers TEXT NOT NULL DEFAULT '';
