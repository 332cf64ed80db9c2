-- MTP schema 5 (SQLite): Home. The same logical schema as ../postgresql/005_home.sql.
-- Per-org MDM certificate and token expiry dates, reports ready for download, the operator's
-- table of OS releases (global: no provider), each admin's Manage Home choice, and the
-- indexes that make every Home count a range or index-only scan over (provider_id, ...).
-- Times are INTEGER Unix seconds (UTC); booleans are INTEGER 0 or 1.

-- One row per org and kind (apns_certificate, vpp_token, ade_token).
CREATE TABLE org_mdm (
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('apns_certificate', 'vpp_token', 'ade_token')),
  expires_at INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  PRIMARY KEY (provider_id, org_id, kind),
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX org_mdm_provider_expires ON org_mdm (provider_id, expires_at, org_id);

CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'json')),
  created INTEGER NOT NULL,
  ready_at INTEGER,
  UNIQUE (provider_id, id),
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX reports_provider_ready ON reports (provider_id, ready_at, org_id);

-- Filled by the operator (mtpctl os-release add); every provider sees the same releases.
CREATE TABLE os_releases (
  id TEXT PRIMARY KEY,
  os_family TEXT NOT NULL,
  version TEXT NOT NULL,
  build TEXT NOT NULL DEFAULT '',
  released_at INTEGER NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (os_family, version, build)
);
CREATE INDEX os_releases_released ON os_releases (released_at);

-- Manage Home: one row per admin who saved a choice (none: every widget, default N values).
-- widgets is the chosen ids separated by commas.
CREATE TABLE admin_home (
  provider_id TEXT NOT NULL,
  admin_id TEXT NOT NULL,
  widgets TEXT NOT NULL,
  upcoming_password_expiration_days INTEGER NOT NULL,
  long_uptime_days INTEGER NOT NULL,
  scheduled_days INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  PRIMARY KEY (provider_id, admin_id),
  FOREIGN KEY (provider_id, admin_id) REFERENCES admins (provider_id, id) ON DELETE CASCADE
);

-- Home counts: COUNT(*) with the reach filter (org_id IN ...) as a range or index-only scan.
CREATE INDEX system_users_home_locked ON system_users (provider_id, org_id) WHERE account_locked;
CREATE INDEX system_users_home_forced ON system_users (provider_id, org_id) WHERE password_expired;
CREATE INDEX system_users_home_expiration ON system_users (provider_id, password_expiration_date, org_id) WHERE password_expiration_date IS NOT NULL;
CREATE INDEX system_users_home_created ON system_users (provider_id, created, org_id);
CREATE INDEX system_users_home_suspension ON system_users (provider_id, scheduled_suspension_at, org_id) WHERE scheduled_suspension_at IS NOT NULL;
CREATE INDEX system_users_home_activation ON system_users (provider_id, scheduled_activation_at, org_id) WHERE scheduled_activation_at IS NOT NULL;
CREATE INDEX system_users_home_sudo ON system_users (provider_id, org_id) WHERE sudo;
CREATE INDEX system_users_home_pwless ON system_users (provider_id, org_id) WHERE passwordless_sudo;
CREATE INDEX system_users_home_samba ON system_users (provider_id, org_id) WHERE samba_service_user;
CREATE INDEX system_users_home_nopassword ON system_users (provider_id, org_id) WHERE password_hash IS NULL;
CREATE INDEX devices_home_last_contact ON devices (provider_id, last_contact, org_id);
CREATE INDEX devices_home_uptime ON devices (provider_id, uptime_seconds, org_id);
