-- MTP schema 13 (PostgreSQL): issue 12 items 2 and 5. The same logical schema as
-- ../sqlite/013_schedules_applications.sql. (Numbers 10 to 12 are other branches'.)

-- mtpd's schedule job finds the due scheduled suspensions and activations by range scans
-- that skip every user without one.
CREATE INDEX system_users_scheduled_suspension ON system_users (scheduled_suspension_at)
  WHERE scheduled_suspension_at IS NOT NULL;
CREATE INDEX system_users_scheduled_activation ON system_users (scheduled_activation_at)
  WHERE scheduled_activation_at IS NOT NULL;

-- The SAML and OIDC applications of an org (the org list's applicationCount).
CREATE TABLE organization_applications (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('saml', 'oidc')),
  created TIMESTAMPTZ NOT NULL,
  FOREIGN KEY (provider_id, org_id) REFERENCES organizations (provider_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX organization_applications_org_name
  ON organization_applications (provider_id, org_id, lower(name));
