-- MTP schema 3 (PostgreSQL): the users of managed orgs (JumpCloud's systemusers) and each
-- org's password policy. The same logical schema as ../sqlite/003_system_users.sql.
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
  account_locked BOOLEAN NOT NULL DEFAULT FALSE,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_at TIMESTAMPTZ,
  password_set_at TIMESTAMPTZ,
  password_expiration_date TIMESTAMPTZ,
  password_expired BOOLEAN NOT NULL DEFAULT FALSE,
  totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
  sudo BOOLEAN NOT NULL DEFAULT FALSE,
  passwordless_sudo BOOLEAN NOT NULL DEFAULT FALSE,
  samba_service_user BOOLEAN NOT NULL DEFAULT FALSE,
  scheduled_suspension_at TIMESTAMPTZ,
  scheduled_activation_at TIMESTAMPTZ,
  created TIMESTAMPTZ NOT NULL,
  updated TIMESTAMPTZ NOT NULL,
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
  updated TIMESTAMPTZ NOT NULL,
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
