-- MTP schema 8 (SQLite): one-time tokens of org users, for the user portal's activation
-- link (/userconsole/activate?token=...). Only the token's hash is stored. The same logical
-- schema as ../postgresql/008_user_tokens.sql. Times are INTEGER Unix seconds (UTC).

CREATE TABLE user_tokens (
  token_hash TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('activation')),
  created INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  FOREIGN KEY (provider_id, user_id) REFERENCES system_users (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX user_tokens_provider_user ON user_tokens (provider_id, user_id);
