// SociTx: users of managed orgs and their orgs' password policies — store/user_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/soci_list.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

// password_expired as the API shows it: forced, or the expiration date has passed at `now`
// (the store's clock, written as a literal integer: never caller text).
std::string userExpiredSql(const Dialect& d, UnixTime now) {
  return "(CASE WHEN u.password_expired OR (u.password_expiration_date IS NOT NULL AND "
         "u.password_expiration_date <= " +
         d.tsParam(std::to_string(now)) + ") THEN 1 ELSE 0 END)";
}

std::vector<FieldSpec> userFields(const Dialect& d, UnixTime now) {
  return {
      {"id", "u.id", FieldKind::kText},
      {"username", "u.username", FieldKind::kTextCi},
      {"email", "u.email", FieldKind::kTextCi},
      {"firstname", "u.firstname", FieldKind::kText},
      {"lastname", "u.lastname", FieldKind::kText},
      {"state", "u.state", FieldKind::kText},
      {"organization", "u.org_id", FieldKind::kText},
      {"account_locked", "u.account_locked", FieldKind::kBool},
      {"password_expired", userExpiredSql(d, now), FieldKind::kBool},
      {"password_expiration_date", "u.password_expiration_date", FieldKind::kTime},
      {"totp_enabled", "u.totp_enabled", FieldKind::kBool},
      {"sudo", "u.sudo", FieldKind::kBool},
      {"passwordless_sudo", "u.passwordless_sudo", FieldKind::kBool},
      {"samba_service_user", "u.samba_service_user", FieldKind::kBool},
      {"created", "u.created", FieldKind::kTime},
      {"updated", "u.updated", FieldKind::kTime},
  };
}

struct UserRow {
  std::string id, provider_id, org_id, username, email, firstname, lastname, state;
  int totp = 0, sudo = 0, pwless = 0, samba = 0, locked = 0, failed = 0, expired = 0, pw_set = 0;
  long long exp_date = 0, susp_at = 0, act_at = 0, locked_at = 0, pw_set_at = 0, created = 0,
            updated = 0, version = 1;
  soci::indicator exp_ind = soci::i_ok, susp_ind = soci::i_ok, act_ind = soci::i_ok,
                  locked_ind = soci::i_ok, pw_set_ind = soci::i_ok;

  static std::string columns(const Dialect& d, UnixTime now) {
    return "u.id, u.provider_id, u.org_id, u.username, u.email, u.firstname, u.lastname, "
           "u.state, " +
           boolColumn("u.totp_enabled") + ", " + boolColumn("u.sudo") + ", " +
           boolColumn("u.passwordless_sudo") + ", " + boolColumn("u.samba_service_user") + ", " +
           boolColumn("u.account_locked") + ", u.failed_logins, " + userExpiredSql(d, now) +
           ", CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END, " +
           d.ts("u.password_expiration_date") + ", " + d.ts("u.scheduled_suspension_at") + ", " +
           d.ts("u.scheduled_activation_at") + ", " + d.ts("u.locked_at") + ", " +
           d.ts("u.password_set_at") + ", " + d.ts("u.created") + ", " + d.ts("u.updated") +
           ", u.version";
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(org_id), soci::into(username),
        soci::into(email), soci::into(firstname), soci::into(lastname), soci::into(state),
        soci::into(totp), soci::into(sudo), soci::into(pwless), soci::into(samba),
        soci::into(locked), soci::into(failed), soci::into(expired), soci::into(pw_set),
        soci::into(exp_date, exp_ind), soci::into(susp_at, susp_ind), soci::into(act_at, act_ind),
        soci::into(locked_at, locked_ind), soci::into(pw_set_at, pw_set_ind), soci::into(created),
        soci::into(updated), soci::into(version);
  }
  SystemUserRecord record() const {
    SystemUserRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.org_id = org_id;
    r.username = username;
    r.email = email;
    r.firstname = firstname;
    r.lastname = lastname;
    r.state = parseUserState(state).value_or(UserState::kStaged);
    r.totp_enabled = totp != 0;
    r.sudo = sudo != 0;
    r.passwordless_sudo = pwless != 0;
    r.samba_service_user = samba != 0;
    r.account_locked = locked != 0;
    r.failed_logins = failed;
    r.password_expired = expired != 0;
    r.password_set = pw_set != 0;
    r.password_expiration_date = opt(exp_date, exp_ind);
    r.scheduled_suspension_at = opt(susp_at, susp_ind);
    r.scheduled_activation_at = opt(act_at, act_ind);
    r.locked_at = opt(locked_at, locked_ind);
    r.password_set_at = opt(pw_set_at, pw_set_ind);
    r.created = created;
    r.updated = updated;
    r.version = version;
    return r;
  }
};

std::string optTsParam(const Dialect& d, SqlParams& p, const std::optional<UnixTime>& t) {
  if (!t) return "NULL";
  return d.tsParam(p.integer(*t));
}

}  // namespace

Result<std::string> SociTx::createSystemUser(const TenantScope& scope, const SystemUserRecord& r,
                                             const std::optional<std::string>& password_hash) {
  if (r.username.empty()) return fail(Status::invalidArgument("username is required"));
  return guarded([&]() -> Result<std::string> {
    SqlParams op;
    if (count(sql_,
              "SELECT COUNT(*) FROM organizations WHERE provider_id = " +
                  op.text(scope.provider_id) + " AND id = " + op.text(r.org_id),
              op) == 0) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    SqlParams cp;
    if (count(sql_,
              "SELECT COUNT(*) FROM system_users WHERE provider_id = " +
                  cp.text(scope.provider_id) + " AND org_id = " + cp.text(r.org_id) +
                  " AND lower(username) = lower(" + cp.text(r.username) + ")",
              cp) > 0) {
      return fail(Status::conflict("a user with this username exists in the organization"));
    }
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    std::optional<UnixTime> pw_set_at;
    if (password_hash) pw_set_at = created;
    SqlParams p;
    std::string q =
        "INSERT INTO system_users (id, provider_id, org_id, username, email, firstname, lastname, "
        "state, password_hash, password_set_at, password_expiration_date, totp_enabled, sudo, "
        "passwordless_sudo, samba_service_user, scheduled_suspension_at, scheduled_activation_at, "
        "created, updated) VALUES (" +
        p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) + ", " +
        p.text(r.username) + ", " + p.text(r.email) + ", " + p.text(r.firstname) + ", " +
        p.text(r.lastname) + ", " + p.text(std::string(userStateText(r.state))) + ", " +
        p.optText(password_hash) + ", " + optTsParam(d_, p, pw_set_at) + ", " +
        optTsParam(d_, p, r.password_expiration_date) + ", " + p.boolean(r.totp_enabled) + ", " +
        p.boolean(r.sudo) + ", " + p.boolean(r.passwordless_sudo) + ", " +
        p.boolean(r.samba_service_user) + ", " + optTsParam(d_, p, r.scheduled_suspension_at) +
        ", " + optTsParam(d_, p, r.scheduled_activation_at) + ", " +
        d_.tsParam(p.integer(created)) + ", " + d_.tsParam(p.integer(created)) + ")";
    exec(sql_, q, p);
    return id;
  });
}

Result<std::vector<DueUserSchedule>> SociTx::listDueUserSchedules(UnixTime at, int limit) {
  return guarded([&]() -> Result<std::vector<DueUserSchedule>> {
    std::vector<DueUserSchedule> out;
    DueUserSchedule row;
    long long when = 0;
    // Two index range scans (schema 013's partial indexes), merged.
    for (const char* col : {"scheduled_suspension_at", "scheduled_activation_at"}) {
      SqlParams p;
      select(sql_,
             "SELECT provider_id, org_id, id, " + d_.ts(col) + " FROM system_users WHERE " +
                 std::string(col) + " IS NOT NULL AND " + col + " <= " +
                 d_.tsParam(p.integer(at)) + " ORDER BY " + col + " LIMIT " +
                 p.integer(limit),
             p,
             [&](auto& pt) {
               pt, soci::into(row.provider_id), soci::into(row.org_id), soci::into(row.user_id),
                   soci::into(when);
             },
             [&] { out.push_back(row); });
    }
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
    return out;
  });
}

Result<UserCapacity> SociTx::holdUserCapacity(const TenantScope& scope,
                                              const std::string& org_id) {
  return guarded([&]() -> Result<UserCapacity> {
    // The provider first, then the org: every capacity check takes them in this order.
    holdRow("providers", scope, scope.provider_id);
    if (!lockRow("organizations", scope, org_id)) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    UserCapacity out;
    SqlParams p;
    long long org_cap = 0, org_users = 0;
    soci::indicator org_cap_ind = soci::i_null;
    select(sql_,
           "SELECT o.max_system_users, (SELECT COUNT(*) FROM system_users su WHERE "
           "su.provider_id = o.provider_id AND su.org_id = o.id) FROM organizations o WHERE "
           "o.provider_id = " + p.text(scope.provider_id) + " AND o.id = " + p.text(org_id),
           p, [&](auto& pt) { pt, soci::into(org_cap, org_cap_ind), soci::into(org_users); },
           [&] {});
    out.org_users = org_users;
    if (org_cap_ind != soci::i_null) out.org_cap = org_cap;
    SqlParams cp;
    out.provider_users = count(
        sql_, "SELECT COUNT(*) FROM system_users WHERE provider_id = " + cp.text(scope.provider_id),
        cp);
    SqlParams bp;
    long long cap = 0;
    soci::indicator cap_ind = soci::i_null;
    select(sql_,
           "SELECT user_cap FROM billing_settings WHERE provider_id = " +
               bp.text(scope.provider_id),
           bp, [&](auto& pt) { pt, soci::into(cap, cap_ind); }, [&] {});
    if (cap_ind != soci::i_null) out.provider_cap = cap;
    return out;
  });
}

Result<SystemUserRecord> SociTx::getSystemUser(const TenantScope& scope, const std::string& org_id,
                                               const std::string& id) {
  return guarded([&]() -> Result<SystemUserRecord> {
    SqlParams p;
    UserRow row;
    std::optional<SystemUserRecord> out;
    select(sql_,
           "SELECT " + UserRow::columns(d_, now()) +
               " FROM system_users u WHERE u.provider_id = " + p.text(scope.provider_id) +
               " AND u.org_id = " + p.text(org_id) + " AND u.id = " + p.text(id) +
               lockClause("u"),
           p, [&](auto& pt) { row.bind(pt); }, [&] { out = row.record(); });
    if (!out) return fail(Status::notFound().withDetail("user not found"));
    return *out;
  });
}

Result<void> SociTx::updateSystemUser(const TenantScope& scope, const SystemUserRecord& r) {
  if (r.username.empty()) return fail(Status::invalidArgument("username is required"));
  return guarded([&]() -> Result<void> {
    SqlParams cp;
    if (count(sql_,
              "SELECT COUNT(*) FROM system_users WHERE provider_id = " +
                  cp.text(scope.provider_id) + " AND org_id = " + cp.text(r.org_id) +
                  " AND lower(username) = lower(" + cp.text(r.username) + ") AND id <> " +
                  cp.text(r.id),
              cp) > 0) {
      return fail(Status::conflict("a user with this username exists in the organization"));
    }
    SqlParams p;
    std::string q =
        "UPDATE system_users SET version = version + 1, username = " + p.text(r.username) + ", email = " +
        p.text(r.email) + ", firstname = " + p.text(r.firstname) + ", lastname = " +
        p.text(r.lastname) + ", state = " + p.text(std::string(userStateText(r.state))) +
        ", totp_enabled = " + p.boolean(r.totp_enabled) + ", sudo = " + p.boolean(r.sudo) +
        ", passwordless_sudo = " + p.boolean(r.passwordless_sudo) +
        ", samba_service_user = " + p.boolean(r.samba_service_user) +
        ", password_expiration_date = " + optTsParam(d_, p, r.password_expiration_date) +
        ", scheduled_suspension_at = " + optTsParam(d_, p, r.scheduled_suspension_at) +
        ", scheduled_activation_at = " + optTsParam(d_, p, r.scheduled_activation_at) +
        ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
        p.text(scope.provider_id) + " AND org_id = " + p.text(r.org_id) + " AND id = " +
        p.text(r.id);
    return requireOne(exec(sql_, q, p), "user");
  });
}

Result<void> SociTx::deleteSystemUser(const TenantScope& scope, const std::string& org_id,
                                      const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM system_users WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                               " AND id = " + p.text(id),
                           p),
                      "user");
  });
}

Result<Page<SystemUserRecord>> SociTx::listSystemUsers(const TenantScope& scope,
                                                       const OrgReach& reach,
                                                       const ListQuery& query) {
  if (auto ok = checkPaging(query); !ok) return fail(ok.error());
  return guarded([&]() -> Result<Page<SystemUserRecord>> {
    const UnixTime at = now();
    const std::vector<FieldSpec> fields = userFields(d_, at);
    auto where = [&](SqlParams& p) -> Result<std::string> {
      std::string w = " WHERE u.provider_id = " + p.text(scope.provider_id);
      if (!reach.all) w += " AND " + inList("u.org_id", reach.ids, p);
      auto f = filterSql(fields, query.filters, p, d_, "u.org_id");
      if (!f) return fail(f.error());
      return w + *f;
    };
    auto order = orderSql(fields, query.sort, "u.id");
    if (!order) return fail(order.error());
    Page<SystemUserRecord> page;
    SqlParams cp;
    auto cw = where(cp);
    if (!cw) return fail(cw.error());
    page.total_count = count(sql_, "SELECT COUNT(*) FROM system_users u" + *cw, cp);
    SqlParams p;
    auto w = where(p);
    std::string q = "SELECT " + UserRow::columns(d_, at) + " FROM system_users u" + *w + *order +
                    " LIMIT " + p.integer(query.limit) + " OFFSET " + p.integer(query.skip);
    UserRow row;
    select(sql_, q, p, [&](auto& pt) { row.bind(pt); },
           [&] { page.results.push_back(row.record()); });
    return page;
  });
}

Result<void> SociTx::setSystemUserState(const TenantScope& scope, const std::string& org_id,
                                        const std::string& id, UserState state) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE system_users SET version = version + 1, state = " + p.text(std::string(userStateText(state))) +
                 ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                 " AND id = " + p.text(id),
             p),
        "user");
  });
}

Result<void> SociTx::unlockSystemUser(const TenantScope& scope, const std::string& org_id,
                                      const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE system_users SET version = version + 1, account_locked = " + p.boolean(false) +
                 ", failed_logins = 0, locked_at = NULL, updated = " +
                 d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                 " AND id = " + p.text(id),
             p),
        "user");
  });
}

Result<void> SociTx::expireSystemUserPassword(const TenantScope& scope, const std::string& org_id,
                                              const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE system_users SET version = version + 1, password_expired = " + p.boolean(true) + ", updated = " +
                 d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                 " AND id = " + p.text(id),
             p),
        "user");
  });
}

Result<int> SociTx::recordSystemUserFailedLogin(const TenantScope& scope,
                                                const std::string& org_id, const std::string& id,
                                                int lock_after) {
  return guarded([&]() -> Result<int> {
    // One conditional UPDATE counts the failure and locks the account when the count reaches
    // lock_after; a locked account counts nothing more. So however many sign-ins fail at once,
    // exactly one caller gets the count that locked it (the others get 0).
    SqlParams p;
    std::string lock = "account_locked";
    std::string locked_at = "locked_at";
    if (lock_after > 0) {
      lock = "(failed_logins + 1 >= " + p.integer(lock_after) + ")";
      locked_at = "CASE WHEN failed_logins + 1 >= " + p.integer(lock_after) + " THEN " +
                  d_.tsParam(p.integer(now())) + " ELSE locked_at END";
    }
    const long long changed =
        exec(sql_,
             "UPDATE system_users SET version = version + 1, failed_logins = failed_logins + 1, account_locked = " +
                 lock + ", locked_at = " + locked_at + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) + " AND id = " +
                 p.text(id) + " AND NOT account_locked",
             p);
    SqlParams cp;
    int n = 0;
    bool found = false;
    select(sql_,
           "SELECT failed_logins FROM system_users WHERE provider_id = " +
               cp.text(scope.provider_id) + " AND org_id = " + cp.text(org_id) + " AND id = " +
               cp.text(id),
           cp, [&](auto& pt) { pt, soci::into(n); }, [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("user not found"));
    return changed == 0 ? 0 : n;
  });
}

Result<SystemUserLogin> SociTx::getSystemUserLogin(const TenantScope& scope,
                                                   const std::string& org_id,
                                                   const std::string& username) {
  return guarded([&]() -> Result<SystemUserLogin> {
    SqlParams p;
    UserRow row;
    std::string hash;
    soci::indicator hash_ind = soci::i_ok;
    std::optional<SystemUserLogin> out;
    select(sql_,
           "SELECT " + UserRow::columns(d_, now()) +
               ", u.password_hash FROM system_users u WHERE u.provider_id = " +
               p.text(scope.provider_id) + " AND u.org_id = " + p.text(org_id) +
               " AND lower(u.username) = lower(" + p.text(username) + ")" + lockClause("u"),
           p,
           [&](auto& pt) {
             row.bind(pt);
             pt, soci::into(hash, hash_ind);
           },
           [&] {
             SystemUserLogin l;
             l.user = row.record();
             if (hash_ind != soci::i_null) l.password_hash = hash;
             out = std::move(l);
           });
    if (!out) return fail(Status::notFound().withDetail("user not found"));
    return *out;
  });
}

Result<std::int64_t> SociTx::applyPasswordExpirationDays(const TenantScope& scope,
                                                         const std::string& org_id, int days) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    std::string date = "NULL";
    if (days > 0) {
      date = d_.postgres() ? "password_set_at + make_interval(days => CAST(" + p.integer(days) + " AS INTEGER))"
                           : "password_set_at + " + p.integer(static_cast<std::int64_t>(days) * 86400);
    }
    return static_cast<std::int64_t>(
        exec(sql_,
             "UPDATE system_users SET version = version + 1, password_expiration_date = " + date +
                 " WHERE provider_id = " + p.text(scope.provider_id) + " AND org_id = " +
                 p.text(org_id) + " AND password_hash IS NOT NULL AND password_set_at IS NOT NULL",
             p));
  });
}

Result<void> SociTx::clearSystemUserFailedLogins(const TenantScope& scope,
                                                 const std::string& org_id,
                                                 const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE system_users SET version = version + 1, failed_logins = 0 WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                               " AND id = " + p.text(id),
                           p),
                      "user");
  });
}

Result<PasswordPolicyRecord> SociTx::getPasswordPolicy(const TenantScope& scope,
                                                       const std::string& org_id) {
  return guarded([&]() -> Result<PasswordPolicyRecord> {
    // The policy hangs off the org: its row is the one a policy change locks.
    if (!lockRow("organizations", scope, org_id)) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    PasswordPolicyRecord out;
    out.org_id = org_id;
    SqlParams p;
    int lockout = 0, days = 0;
    long long version = 0;
    select(sql_,
           "SELECT lockout_after_failures, password_expiration_days, version FROM "
           "org_password_policies WHERE provider_id = " +
               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id),
           p, [&](auto& pt) { pt, soci::into(lockout), soci::into(days), soci::into(version); },
           [&] {
             out.lockout_after_failures = lockout;
             out.password_expiration_days = days;
             out.version = version;
           });
    return out;
  });
}

Result<void> SociTx::putPasswordPolicy(const TenantScope& scope, const PasswordPolicyRecord& r) {
  return guarded([&]() -> Result<void> {
    if (!lockRow("organizations", scope, r.org_id)) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    // One row per org (the org's lock is held): a new one at version 1, else the next version.
    SqlParams p;
    exec(sql_,
         "INSERT INTO org_password_policies (org_id, provider_id, lockout_after_failures, "
         "password_expiration_days, updated) VALUES (" +
             p.text(r.org_id) + ", " + p.text(scope.provider_id) + ", " +
             p.integer(r.lockout_after_failures) + ", " + p.integer(r.password_expiration_days) +
             ", " + d_.tsParam(p.integer(now())) +
             ") ON CONFLICT (org_id) DO UPDATE SET lockout_after_failures = "
             "excluded.lockout_after_failures, password_expiration_days = "
             "excluded.password_expiration_days, updated = excluded.updated, version = "
             "org_password_policies.version + 1",
         p);
    return {};
  });
}

}  // namespace mtp::store::detail
