-- MTP schema 9 (PostgreSQL): access review certifications (issue 14 item 3): who certified
-- which admin's access, when, with a note. Like the activity log, a certification outlives
-- the admins it names (an auditor asks about removed admins too): no foreign key to admins.
-- The same logical schema as ../sqlite/009_access_certifications.sql. (Number 8 is another
-- branch's.)

CREATE TABLE access_certifications (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  admin_id TEXT NOT NULL,
  certified_by_id TEXT NOT NULL,
  certified_by_email TEXT NOT NULL DEFAULT '',
  certified_at TIMESTAMPTZ NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_certifications_provider_admin ON access_certifications (provider_id, admin_id, certified_at);
