-- MTP schema 15: an administrator's email is unique across every provider, not per provider
-- (issue 10 item 6). A sign-in names one account, so a failed sign-in touches only that account
-- and is written only to its provider's activity log: another provider can no longer create an
-- admin with the same email and so see (or lock) someone else's sign-in attempts. JumpCloud keeps
-- admin emails globally unique too. An upgrade on a database that holds one email twice fails
-- here; rename one of the two admins first (docs/security.md).

DROP INDEX admins_provider_email;
DROP INDEX admins_email;
CREATE UNIQUE INDEX admins_email_unique ON admins (lower(email));
