-- MTP schema 10 (SQLite): PSA integrations (issue 12 item 1; ConnectWise Manage, Autotask).
-- The same logical schema as ../postgresql/010_psa_integrations.sql. Times are INTEGER Unix
-- seconds (UTC); money is integer cents.

-- One integration per provider and kind. `secret_sealed` is the PSA secret (ConnectWise
-- private key, Autotask secret) sealed by auth::SecretBox (`v1:<keyid>:<base64>`): never
-- plain text, never returned by the API.
CREATE TABLE psa_integrations (
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('connectwise', 'autotask')),
  site_url TEXT NOT NULL,
  company_id TEXT NOT NULL DEFAULT '',       -- ConnectWise company id; Autotask: unused
  integration_code TEXT NOT NULL DEFAULT '', -- ConnectWise clientId; Autotask ApiIntegrationCode
  username TEXT NOT NULL DEFAULT '',         -- ConnectWise public key; Autotask UserName
  secret_sealed TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  price_per_user_cents INTEGER NOT NULL DEFAULT 0 CHECK (price_per_user_cents >= 0),
  ticket_alert_kinds TEXT NOT NULL DEFAULT '',  -- comma-separated: user_locked,device_inactive_7d
  demo INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  PRIMARY KEY (provider_id, kind)
);

-- Each managed org mapped to a PSA company and the agreement addition (ConnectWise:
-- agreement_id + service_id = addition id) or contract service (Autotask: contract id +
-- contract service id) its per-user line is billed on.
CREATE TABLE psa_org_mappings (
  provider_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  psa_company_id TEXT NOT NULL,
  psa_company_name TEXT NOT NULL DEFAULT '',
  agreement_id TEXT NOT NULL DEFAULT '',
  service_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (provider_id, kind, org_id),
  FOREIGN KEY (provider_id, kind) REFERENCES psa_integrations (provider_id, kind) ON DELETE CASCADE
);

-- Each sync attempt: queued (by "sync now", the daily schedule or a retry), then running,
-- then ok or failed. A failed attempt queues the next one (attempt + 1) at next_attempt_at.
CREATE TABLE psa_sync_runs (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('manual', 'daily', 'retry')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'ok', 'failed')),
  attempt INTEGER NOT NULL DEFAULT 1,
  queued_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  started INTEGER,
  finished INTEGER,
  orgs_synced INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (provider_id, kind) REFERENCES psa_integrations (provider_id, kind) ON DELETE CASCADE
);
CREATE INDEX psa_sync_runs_due ON psa_sync_runs (status, next_attempt_at);
CREATE INDEX psa_sync_runs_provider ON psa_sync_runs (provider_id, kind, queued_at);

-- One ticket per alert: the unique key makes an alert open at most one ticket.
CREATE TABLE psa_tickets (
  provider_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  alert_key TEXT NOT NULL,
  org_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'opened')),
  psa_ticket_id TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  PRIMARY KEY (provider_id, kind, alert_key),
  FOREIGN KEY (provider_id, kind) REFERENCES psa_integrations (provider_id, kind) ON DELETE CASCADE
);

-- "Request an integration" and "sign up for beta" from the Integrations tab.
CREATE TABLE integration_requests (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('integration', 'beta')),
  text TEXT NOT NULL,
  admin_id TEXT NOT NULL,
  admin_email TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL
);
CREATE INDEX integration_requests_provider ON integration_requests (provider_id, created);
