-- Devices enrolled by their agent with the org's connect key, the commands queued for them
-- (lock, restart, shutdown, remote assist) and the orgs' connect keys. Keys are kept only as
-- hashes (a connect key's salt lets the server derive it again with its pepper).
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  hostname TEXT NOT NULL,
  os TEXT NOT NULL,
  os_family TEXT NOT NULL,
  version TEXT NOT NULL,
  active BOOLEAN NOT NULL DEFAULT FALSE,
  last_contact TIMESTAMPTZ,
  uptime_seconds BIGINT NOT NULL DEFAULT 0,
  remote_assist BOOLEAN NOT NULL DEFAULT FALSE,
  device_key_hash TEXT NOT NULL UNIQUE,
  created TIMESTAMPTZ NOT NULL,
  UNIQUE (provider_id, id),
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX devices_provider_org ON devices (provider_id, org_id, display_name);
CREATE INDEX devices_provider_name ON devices (provider_id, display_name);
CREATE INDEX devices_provider_last_contact ON devices (provider_id, last_contact);

CREATE TABLE connect_keys (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  prefix TEXT NOT NULL,
  salt TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX connect_keys_provider_org ON connect_keys (provider_id, org_id);

CREATE TABLE device_commands (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('lock', 'restart', 'shutdown', 'remote_assist')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'done', 'failed')),
  output TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created TIMESTAMPTZ NOT NULL,
  sent_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ,
  FOREIGN KEY (provider_id, device_id) REFERENCES devices (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX device_commands_provider_device ON device_commands (provider_id, device_id, status, created);
