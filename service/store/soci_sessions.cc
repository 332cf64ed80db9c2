// SociTx: sessions, API keys and one-time tokens — store/session_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

SessionKind parseKind(const std::string& s) {
  if (s == "mfa_enroll") return SessionKind::kMfaEnroll;
  if (s == "org_launch") return SessionKind::kOrgLaunch;
  return SessionKind::kFull;
}

TokenKind parseTokenKind(const std::string& s) {
  if (s == "password_reset") return TokenKind::kPasswordReset;
  if (s == "totp_reset") return TokenKind::kTotpReset;
  return TokenKind::kActivation;
}

struct SessionRow {
  std::string jti, provider_id, admin_id, kind, org_id;
  soci::indicator org_ind = soci::i_ok, revoked_ind = soci::i_ok;
  int mfa = 0;
  long long created = 0, expires_at = 0, revoked_at = 0;

  static std::string columns(const Dialect& d) {
    return "s.jti, s.provider_id, s.admin_id, s.kind, s.org_id, " + boolColumn("s.mfa") + ", " +
           d.ts("s.created") + ", " + d.ts("s.expires_at") + ", " + d.ts("s.revoked_at");
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(jti), soci::into(provider_id), soci::into(admin_id), soci::into(kind),
        soci::into(org_id, org_ind), soci::into(mfa), soci::into(created),
        soci::into(expires_at), soci::into(revoked_at, revoked_ind);
  }
  SessionRecord record() const {
    SessionRecord r;
    r.jti = jti;
    r.provider_id = provider_id;
    r.admin_id = admin_id;
    r.kind = parseKind(kind);
    r.org_id = org_ind == soci::i_null ? std::string() : org_id;
    r.mfa = mfa != 0;
    r.created = created;
    r.expires_at = expires_at;
    r.revoked_at = opt(revoked_at, revoked_ind);
    return r;
  }
};

}  // namespace

// ---------------------------------------------------------------- sessions

Result<std::vector<SessionRecord>> SociTx::selectSessions(const std::string& where_sql,
                                                          SqlParams& p) {
  std::vector<SessionRecord> out;
  SessionRow row;
  select(sql_, "SELECT " + SessionRow::columns(d_) + " FROM sessions s " + where_sql, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

Result<void> SociTx::createSession(const TenantScope& scope, const SessionRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    std::optional<std::string> org;
    if (!r.org_id.empty()) org = r.org_id;
    exec(sql_,
         "INSERT INTO sessions (jti, provider_id, admin_id, kind, org_id, mfa, created, "
         "expires_at, revoked_at) VALUES (" +
             p.text(r.jti) + ", " + p.text(scope.provider_id) + ", " + p.text(r.admin_id) + ", " +
             p.text(std::string(sessionKindText(r.kind))) + ", " + p.optText(org) + ", " +
             p.boolean(r.mfa) + ", " + d_.tsParam(p.integer(r.created != 0 ? r.created : now())) +
             ", " + d_.tsParam(p.integer(r.expires_at)) + ", " +
             d_.tsParam(p.optInteger(optTime(r.revoked_at))) + ")",
         p);
    return {};
  });
}

Result<SessionRecord> SociTx::getSession(const TenantScope& scope, const std::string& jti) {
  return guarded([&]() -> Result<SessionRecord> {
    SqlParams p;
    auto rows = selectSessions(
        "WHERE s.provider_id = " + p.text(scope.provider_id) + " AND s.jti = " + p.text(jti), p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("session not found"));
    return std::move(rows->front());
  });
}

Result<void> SociTx::revokeSession(const TenantScope& scope, const std::string& jti,
                                   UnixTime at) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE sessions SET revoked_at = COALESCE(revoked_at, " +
                               d_.tsParam(p.integer(at)) + ") WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND jti = " + p.text(jti),
                           p),
                      "session");
  });
}

Result<std::int64_t> SociTx::revokeAdminSessions(const TenantScope& scope,
                                                 const std::string& admin_id, UnixTime at) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    return static_cast<std::int64_t>(
        exec(sql_,
             "UPDATE sessions SET revoked_at = " + d_.tsParam(p.integer(at)) +
                 " WHERE provider_id = " + p.text(scope.provider_id) +
                 " AND admin_id = " + p.text(admin_id) + " AND revoked_at IS NULL",
             p));
  });
}

// ---------------------------------------------------------------- API keys and tokens

Result<std::string> SociTx::replaceApiKey(const TenantScope& scope, const std::string& admin_id,
                                          const std::string& prefix,
                                          const std::string& key_hash) {
  return guarded([&]() -> Result<std::string> {
    holdRow("admins", scope, admin_id);  // one revoke-and-insert at a time
    UnixTime at = now();
    SqlParams r;
    exec(sql_,
         "UPDATE api_keys SET revoked_at = " + d_.tsParam(r.integer(at)) +
             " WHERE provider_id = " + r.text(scope.provider_id) +
             " AND admin_id = " + r.text(admin_id) + " AND revoked_at IS NULL",
         r);
    std::string id = newId();
    SqlParams p;
    exec(sql_,
         "INSERT INTO api_keys (id, provider_id, admin_id, prefix, key_hash, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(admin_id) + ", " +
             p.text(prefix) + ", " + p.text(key_hash) + ", " + d_.tsParam(p.integer(at)) + ")",
         p);
    return id;
  });
}

Result<void> SociTx::revokeApiKeys(const TenantScope& scope, const std::string& admin_id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "UPDATE api_keys SET revoked_at = " + d_.tsParam(p.integer(now())) +
             " WHERE provider_id = " + p.text(scope.provider_id) +
             " AND admin_id = " + p.text(admin_id) + " AND revoked_at IS NULL",
         p);
    return {};
  });
}

Result<void> SociTx::createToken(const TenantScope& scope, const TokenRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "INSERT INTO admin_tokens (token_hash, provider_id, admin_id, kind, created, expires_at) "
         "VALUES (" +
             p.text(r.token_hash) + ", " + p.text(scope.provider_id) + ", " + p.text(r.admin_id) +
             ", " + p.text(std::string(tokenKindText(r.kind))) + ", " +
             d_.tsParam(p.integer(r.created != 0 ? r.created : now())) + ", " +
             d_.tsParam(p.integer(r.expires_at)) + ")",
         p);
    return {};
  });
}

Result<SessionRecord> SociTx::findSession(const std::string& jti) {
  return guarded([&]() -> Result<SessionRecord> {
    SqlParams p;
    auto rows = selectSessions("WHERE s.jti = " + p.text(jti), p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("session not found"));
    return std::move(rows->front());
  });
}

Result<std::vector<ApiKeyRecord>> SociTx::findApiKeys(const std::string& prefix) {
  return guarded([&]() -> Result<std::vector<ApiKeyRecord>> {
    SqlParams p;
    std::vector<ApiKeyRecord> out;
    ApiKeyRecord k;
    long long created = 0;
    select(sql_,
           "SELECT id, provider_id, admin_id, prefix, key_hash, " + d_.ts("created") +
               " FROM api_keys WHERE prefix = " + p.text(prefix) + " AND revoked_at IS NULL",
           p,
           [&](auto& pt) {
             pt, soci::into(k.id), soci::into(k.provider_id), soci::into(k.admin_id),
                 soci::into(k.prefix), soci::into(k.key_hash), soci::into(created);
           },
           [&] {
             k.created = created;
             out.push_back(k);
           });
    return out;
  });
}

Result<TokenRecord> SociTx::consumeToken(const std::string& token_hash, TokenKind kind,
                                         UnixTime at) {
  return guarded([&]() -> Result<TokenRecord> {
    SqlParams p;
    TokenRecord t;
    std::string kind_text;
    long long created = 0, expires = 0;
    bool found = false;
    select(sql_,
           "SELECT token_hash, provider_id, admin_id, kind, " + d_.ts("created") + ", " +
               d_.ts("expires_at") + " FROM admin_tokens WHERE token_hash = " +
               p.text(token_hash) + " AND kind = " + p.text(std::string(tokenKindText(kind))) +
               " AND used_at IS NULL AND expires_at > " + d_.tsParam(p.integer(at)),
           p,
           [&](auto& pt) {
             pt, soci::into(t.token_hash), soci::into(t.provider_id), soci::into(t.admin_id),
                 soci::into(kind_text), soci::into(created), soci::into(expires);
           },
           [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("token not found"));
    SqlParams u;
    // Only one caller can flip used_at: a token is good once, even under a race.
    if (exec(sql_,
             "UPDATE admin_tokens SET used_at = " + d_.tsParam(u.integer(at)) +
                 " WHERE token_hash = " + u.text(token_hash) + " AND used_at IS NULL",
             u) != 1) {
      return fail(Status::notFound().withDetail("token not found"));
    }
    t.kind = parseTokenKind(kind_text);
    t.created = created;
    t.expires_at = expires;
    t.used_at = at;
    return t;
  });
}

Result<std::int64_t> SociTx::deleteExpiredSessions(UnixTime at) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    return static_cast<std::int64_t>(exec(
        sql_, "DELETE FROM sessions WHERE expires_at < " + d_.tsParam(p.integer(at)), p));
  });
}

}  // namespace mtp::store::detail
