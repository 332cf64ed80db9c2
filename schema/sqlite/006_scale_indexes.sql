-- MTP schema 6 (SQLite): indexes found with EXPLAIN ANALYZE on a seeded tenant of 1,000
-- orgs, 100,000 users and 50,000 devices (bench/load/run_scale.sh, bench/README.md "Scale").
-- The same logical schema as ../postgresql/006_scale_indexes.sql. provider_id first, as always.

-- Home's upcoming_password_expirations: the flag in the predicate makes the count a range
-- over the index alone, and the detail list reads its first page in (date, id) order.
CREATE INDEX system_users_scale_upcoming ON system_users (provider_id, password_expiration_date, id, org_id) WHERE password_expiration_date IS NOT NULL AND NOT password_expired;

-- Home's user_lockouts detail list, newest lock first, without sorting every locked user.
CREATE INDEX system_users_scale_lockouts ON system_users (provider_id, locked_at DESC, id, org_id) WHERE account_locked;
