-- MTP schema 14 (SQLite): saved commands and their per-device results; reports built by a job.
-- The same logical schema as ../postgresql/014_commands_reports.sql. Times are INTEGER Unix
-- seconds (UTC); booleans are INTEGER 0 or 1.

-- An org's saved commands (commands.read to see, commands.run to edit and run).
CREATE TABLE saved_commands (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  target_os TEXT NOT NULL CHECK (target_os IN ('windows', 'mac', 'linux')),
  shell TEXT NOT NULL,
  script TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  UNIQUE (provider_id, id),
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX saved_commands_provider_org ON saved_commands (provider_id, org_id, name);

-- One row per device a saved command was run on: the shell and script as they were at run
-- time, handed to the device's agent at check-in, and what the agent reported.
CREATE TABLE command_results (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  command_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  shell TEXT NOT NULL,
  script TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'done', 'failed', 'timed_out', 'not_executed')),
  exit_code INTEGER,
  output TEXT NOT NULL DEFAULT '',
  truncated INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created INTEGER NOT NULL,
  sent_at INTEGER,
  finished_at INTEGER,
  FOREIGN KEY (provider_id, command_id) REFERENCES saved_commands (provider_id, id) ON DELETE CASCADE,
  FOREIGN KEY (provider_id, device_id) REFERENCES devices (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX command_results_provider_device ON command_results (provider_id, device_id, status, created);
CREATE INDEX command_results_provider_command ON command_results (provider_id, command_id, created);

-- Reports: requested by an admin, built by the report job, kept 30 days. The demo table of
-- schema 5 is replaced. org_id NULL: every org the requester reached at request time, whose
-- ids are in report_orgs (for one org: that org).
DROP TABLE reports;
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('users', 'devices', 'admins', 'activity')),
  format TEXT NOT NULL CHECK (format IN ('csv', 'json')),
  period_from INTEGER,
  period_to INTEGER,
  status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
  requested_by TEXT NOT NULL,
  created INTEGER NOT NULL,
  ready_at INTEGER,
  row_count INTEGER NOT NULL DEFAULT 0,
  content TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  UNIQUE (provider_id, id),
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX reports_provider_ready ON reports (provider_id, ready_at);
CREATE INDEX reports_status_created ON reports (status, created);

CREATE TABLE report_orgs (
  report_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  PRIMARY KEY (report_id, org_id),
  FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
);
