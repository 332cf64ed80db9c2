-- MTP schema 9 (SQLite): access review certifications (issue 14 item 3): who certified
-- which admin's access, when, with a note. Like the activity log, a certification outlives
-- the admins it names: no foreign key to admins. The same logical schema as
-- ../postgresql/009_access_certifications.sql. Times are INTEGER Unix seconds (UTC).

CREATE TABLE access_certifications (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  admin_id TEXT NOT NULL,
  certified_by_id TEXT NOT NULL,
  certified_by_email TEXT NOT NULL DEFAULT '',
  certified_at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_certifications_provider_admin ON access_certifications (provider_id, admin_id, certified_at);
