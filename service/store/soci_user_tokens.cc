// The user portal's new passwords and its activation tokens (UserStore).
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

Result<void> SociTx::setSystemUserPassword(const TenantScope& scope, const std::string& org_id,
                                           const std::string& id, const std::string& password_hash,
                                           int expiration_days) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    const UnixTime at = now();
    const std::string expiry =
        expiration_days > 0
            ? d_.tsParam(p.integer(at + static_cast<UnixTime>(expiration_days) * 86400))
            : std::string("NULL");
    return requireOne(
        exec(sql_,
             "UPDATE system_users SET version = version + 1, password_hash = " + p.text(password_hash) +
                 ", password_set_at = " + d_.tsParam(p.integer(at)) +
                 ", password_expiration_date = " + expiry + ", password_expired = " +
                 p.boolean(false) + ", failed_logins = 0, updated = " + d_.tsParam(p.integer(at)) +
                 " WHERE provider_id = " + p.text(scope.provider_id) + " AND org_id = " +
                 p.text(org_id) + " AND id = " + p.text(id),
             p),
        "user");
  });
}

Result<void> SociTx::createUserToken(const TenantScope& scope, const UserTokenRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "INSERT INTO user_tokens (token_hash, provider_id, org_id, user_id, kind, created, "
         "expires_at) VALUES (" +
             p.text(r.token_hash) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) +
             ", " + p.text(r.user_id) + ", " + p.text("activation") + ", " +
             d_.tsParam(p.integer(r.created != 0 ? r.created : now())) + ", " +
             d_.tsParam(p.integer(r.expires_at)) + ")",
         p);
    return {};
  });
}

Result<UserTokenRecord> SociTx::consumeUserToken(const std::string& token_hash, UnixTime at) {
  return guarded([&]() -> Result<UserTokenRecord> {
    SqlParams p;
    UserTokenRecord t;
    long long created = 0, expires = 0;
    bool found = false;
    select(sql_,
           "SELECT token_hash, provider_id, org_id, user_id, " + d_.ts("created") + ", " +
               d_.ts("expires_at") + " FROM user_tokens WHERE token_hash = " + p.text(token_hash) +
               " AND used_at IS NULL AND expires_at > " + d_.tsParam(p.integer(at)),
           p,
           [&](auto& pt) {
             pt, soci::into(t.token_hash), soci::into(t.provider_id), soci::into(t.org_id),
                 soci::into(t.user_id), soci::into(created), soci::into(expires);
           },
           [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("token not found"));
    SqlParams u;
    // Only one caller can flip used_at: a token is good once, even under a race.
    if (exec(sql_,
             "UPDATE user_tokens SET used_at = " + d_.tsParam(u.integer(at)) +
                 " WHERE token_hash = " + u.text(token_hash) + " AND used_at IS NULL",
             u) != 1) {
      return fail(Status::notFound().withDetail("token not found"));
    }
    t.created = created;
    t.expires_at = expires;
    return t;
  });
}

}  // namespace mtp::store::detail
