-- MTP schema 1 (PostgreSQL). The same logical schema as ../sqlite/001_init.sql.
-- Times are TIMESTAMPTZ (UTC); the store reads and writes them as Unix seconds.
-- Every table that belongs to a tenant carries provider_id, and every index starts with it,
-- except the lookups made before a tenant is known: login by email, session jti, API key
-- prefix, token hash, and the outbox delivery queue (which serves every provider).
-- Composite foreign keys (provider_id, x_id) make a cross-tenant link impossible.
-- Statements are separated by a semicolon at the end of a line (the store splits on it).

CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  require_admin_mfa BOOLEAN NOT NULL DEFAULT FALSE,
  created TIMESTAMPTZ NOT NULL,
  updated TIMESTAMPTZ NOT NULL
);

CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  max_system_users INTEGER,
  remote_assist BOOLEAN NOT NULL DEFAULT FALSE,
  created TIMESTAMPTZ NOT NULL,
  updated TIMESTAMPTZ NOT NULL,
  UNIQUE (provider_id, id)
);
CREATE INDEX organizations_provider_name ON organizations (provider_id, name);
CREATE INDEX organizations_provider_created ON organizations (provider_id, created);

CREATE TABLE organization_tags (
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (org_id, tag),
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX organization_tags_provider_tag ON organization_tags (provider_id, tag);

-- Kept apart so that organization lists never carry image bytes. data: base64.
CREATE TABLE organization_logos (
  org_id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  data TEXT NOT NULL,
  updated TIMESTAMPTZ NOT NULL,
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);

CREATE TABLE admins (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  firstname TEXT NOT NULL DEFAULT '',
  lastname TEXT NOT NULL DEFAULT '',
  role_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'suspended')),
  enable_multi_factor BOOLEAN NOT NULL DEFAULT FALSE,
  api_key_allowed BOOLEAN NOT NULL DEFAULT FALSE,
  all_organizations BOOLEAN NOT NULL DEFAULT FALSE,
  password_hash TEXT,
  totp_secret TEXT,
  totp_enrolled BOOLEAN NOT NULL DEFAULT FALSE,
  totp_last_step BIGINT,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  created TIMESTAMPTZ NOT NULL,
  updated TIMESTAMPTZ NOT NULL,
  UNIQUE (provider_id, id)
);
CREATE UNIQUE INDEX admins_provider_email ON admins (provider_id, lower(email));
CREATE INDEX admins_email ON admins (lower(email));
CREATE INDEX admins_provider_created ON admins (provider_id, created);

CREATE TABLE admin_org_grants (
  provider_id TEXT NOT NULL,
  admin_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  role_name TEXT,
  expires_at TIMESTAMPTZ,
  created TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (admin_id, org_id),
  FOREIGN KEY (provider_id, admin_id) REFERENCES admins (provider_id, id) ON DELETE CASCADE,
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX admin_org_grants_provider_org ON admin_org_grants (provider_id, org_id);
CREATE INDEX admin_org_grants_provider_admin ON admin_org_grants (provider_id, admin_id);

CREATE TABLE sessions (
  jti TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  admin_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('full', 'mfa_enroll', 'org_launch')),
  org_id TEXT,
  mfa BOOLEAN NOT NULL DEFAULT FALSE,
  created TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  FOREIGN KEY (provider_id, admin_id) REFERENCES admins (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_provider_admin ON sessions (provider_id, admin_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  admin_id TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  created TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  FOREIGN KEY (provider_id, admin_id) REFERENCES admins (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_provider_admin ON api_keys (provider_id, admin_id);

-- Activation, password-reset and TOTP-reset tokens; only their hash is stored.
CREATE TABLE admin_tokens (
  token_hash TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  admin_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('activation', 'password_reset', 'totp_reset')),
  created TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ,
  FOREIGN KEY (provider_id, admin_id) REFERENCES admins (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX admin_tokens_provider_admin ON admin_tokens (provider_id, admin_id);

CREATE TABLE email_outbox (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created TIMESTAMPTZ NOT NULL,
  sent_at TIMESTAMPTZ,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX email_outbox_provider_created ON email_outbox (provider_id, created);
CREATE INDEX email_outbox_pending ON email_outbox (sent_at, created);

-- The activity log outlives what it names: no foreign key to organizations or admins.
CREATE TABLE activity (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  timestamp TIMESTAMPTZ NOT NULL,
  event_type TEXT NOT NULL,
  initiated_by_id TEXT NOT NULL DEFAULT '',
  initiated_by_type TEXT NOT NULL DEFAULT '',
  initiated_by_email TEXT NOT NULL DEFAULT '',
  organization TEXT,
  resource_type TEXT NOT NULL DEFAULT '',
  resource_id TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '[]',
  client_ip TEXT NOT NULL DEFAULT '',
  auth_method TEXT NOT NULL DEFAULT '',
  success BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX activity_provider_time ON activity (provider_id, timestamp, id);
CREATE INDEX activity_provider_type_time ON activity (provider_id, event_type, timestamp);
CREATE INDEX activity_provider_org_time ON activity (provider_id, organization, timestamp);
CREATE INDEX activity_provider_initiator_time ON activity (provider_id, initiated_by_id, timestamp);
