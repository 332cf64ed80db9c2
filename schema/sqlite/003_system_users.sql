-- MTP schema 3 (SQLite): the users of managed orgs (JumpCloud's systemusers) and each
-- org's password policy. The same logical schema as ../postgresql/003_system_users.sql.
-- Times are INTEGER Unix seconds (UTC); booleans are INTEGER 0 or 1.
-- password_expired is the forced flag (force password reset); the store derives the API's
-- password_expired from it and password_expiration_date.

CREATE TABLE system_users (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  username TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  firstname TEXT NOT NULL DEFAULT '',
  lastname TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('STAGED', 'ACTIVATED', 'SUSPENDED')),
  password_hash TEXT,
  account_locked INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_at INTEGER,
  password_set_at INTEGER,
  password_expiration_date INTEGER,
  password_expired INTEGER NOT NULL DEFAULT 0,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  sudo INTEGER NOT NULL DEFAULT 0,
  passwordless_sudo INTEGER NOT NULL DEFAULT 0,
  samba_service_user INTEGER NOT NULL DEFAULT 0,
  scheduled_suspension_at INTEGER,
  scheduled_activation_at INTEGER,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  UNIQUE (provider_id, id),
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX system_users_provider_org_username ON system_users (provider_id, org_id, lower(username));
CREATE INDEX system_users_provider_username ON system_users (provider_id, username);
CREATE INDEX system_users_provider_created ON system_users (provider_id, created);
CREATE INDEX system_users_provider_state ON system_users (provider_id, state);
CREATE INDEX system_users_provider_locked ON system_users (provider_id, account_locked);
CREATE INDEX system_users_provider_expiration ON system_users (provider_id, password_expiration_date);

-- One row per org that changed the defaults (lock-out after 5 failures, no expiry).
CREATE TABLE org_password_policies (
  org_id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  lockout_after_failures INTEGER NOT NULL DEFAULT 5,
  password_expiration_days INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL,
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
