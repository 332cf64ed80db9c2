// SociTx: administrators, their credentials and org grants — store/admin_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/soci_list.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

struct AdminRow {
  std::string id, provider_id, email, firstname, lastname, role_name, status;
  int mfa = 0, api_key_allowed = 0, all_orgs = 0, totp_enrolled = 0, password_set = 0,
      api_key_set = 0, failed_logins = 0;
  long long access_total = 0, locked_until = 0, created = 0, updated = 0, version = 1, key_created = 0;
  soci::indicator locked_ind = soci::i_ok, key_prefix_ind = soci::i_null,
                  key_created_ind = soci::i_null;
  std::string key_prefix;

  static std::string columns(const Dialect& d) {
    return "a.id, a.provider_id, a.email, a.firstname, a.lastname, a.role_name, a.status, " +
           boolColumn("a.enable_multi_factor") + ", " + boolColumn("a.api_key_allowed") + ", " +
           boolColumn("a.all_organizations") + ", " + boolColumn("a.totp_enrolled") +
           ", CASE WHEN a.password_hash IS NULL THEN 0 ELSE 1 END"
           ", CASE WHEN EXISTS (SELECT 1 FROM api_keys k WHERE k.provider_id = a.provider_id "
           "AND k.admin_id = a.id AND k.revoked_at IS NULL) THEN 1 ELSE 0 END"
           ", CASE WHEN a.all_organizations THEN (SELECT COUNT(*) FROM organizations o2 WHERE "
           "o2.provider_id = a.provider_id) ELSE (SELECT COUNT(*) FROM admin_org_grants g2 "
           "WHERE g2.provider_id = a.provider_id AND g2.admin_id = a.id) END"
           ", a.failed_logins, " +
           d.ts("a.locked_until") + ", " + d.ts("a.created") + ", " + d.ts("a.updated") +
           ", a.version"
           // The unrevoked key's display prefix and creation (at most one is unrevoked).
           ", (SELECT k.prefix FROM api_keys k WHERE k.provider_id = a.provider_id AND "
           "k.admin_id = a.id AND k.revoked_at IS NULL ORDER BY k.created DESC LIMIT 1), "
           "(SELECT " + d.ts("k.created") + " FROM api_keys k WHERE k.provider_id = "
           "a.provider_id AND k.admin_id = a.id AND k.revoked_at IS NULL ORDER BY k.created "
           "DESC LIMIT 1)";
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(email), soci::into(firstname),
        soci::into(lastname), soci::into(role_name), soci::into(status), soci::into(mfa),
        soci::into(api_key_allowed), soci::into(all_orgs), soci::into(totp_enrolled),
        soci::into(password_set), soci::into(api_key_set), soci::into(access_total),
        soci::into(failed_logins), soci::into(locked_until, locked_ind), soci::into(created),
        soci::into(updated), soci::into(version), soci::into(key_prefix, key_prefix_ind),
        soci::into(key_created, key_created_ind);
  }
  AdminRecord record() const {
    AdminRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.email = email;
    r.firstname = firstname;
    r.lastname = lastname;
    r.role_name = role_name;
    r.status = parseAdminStatus(status);
    r.enable_multi_factor = mfa != 0;
    r.api_key_allowed = api_key_allowed != 0;
    r.all_organizations = all_orgs != 0;
    r.totp_enrolled = totp_enrolled != 0;
    r.password_set = password_set != 0;
    r.api_key_set = api_key_set != 0;
    if (key_prefix_ind != soci::i_null) r.api_key_prefix = key_prefix;
    r.api_key_created = opt(key_created, key_created_ind);
    r.organization_access_total = access_total;
    r.failed_logins = failed_logins;
    r.locked_until = opt(locked_until, locked_ind);
    r.created = created;
    r.updated = updated;
    r.version = version;
    return r;
  }
};

const std::vector<FieldSpec>& adminFields() {
  static const std::vector<FieldSpec> kFields = {
      {"id", "a.id", FieldKind::kText},
      {"email", "a.email", FieldKind::kTextCi},
      {"firstname", "a.firstname", FieldKind::kText},
      {"lastname", "a.lastname", FieldKind::kText},
      {"roleName", "a.role_name", FieldKind::kText},
      {"status", "a.status", FieldKind::kText},
      {"enableMultiFactor", "a.enable_multi_factor", FieldKind::kBool},
      {"apiKeyAllowed", "a.api_key_allowed", FieldKind::kBool},
      {"allOrganizations", "a.all_organizations", FieldKind::kBool},
      {"totpEnrolled", "a.totp_enrolled", FieldKind::kBool},
      {"created", "a.created", FieldKind::kTime},
      {"updated", "a.updated", FieldKind::kTime},
  };
  return kFields;
}

}  // namespace

// ---------------------------------------------------------------- administrators

Result<std::vector<AdminRecord>> SociTx::selectAdmins(const std::string& where_sql, SqlParams& p,
                                                      const std::string& tail) {
  std::vector<AdminRecord> out;
  AdminRow row;
  select(sql_, "SELECT " + AdminRow::columns(d_) + " FROM admins a " + where_sql + tail, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

Result<std::string> SociTx::createAdmin(const TenantScope& scope, const AdminRecord& r,
                                        const std::optional<std::string>& password_hash) {
  if (r.email.empty()) return fail(Status::invalidArgument("email is required"));
  return guarded([&]() -> Result<std::string> {
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    std::string q =
        "INSERT INTO admins (id, provider_id, email, firstname, lastname, role_name, status, "
        "enable_multi_factor, api_key_allowed, all_organizations, password_hash, created, "
        "updated) VALUES (" +
        p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.email) + ", " +
        p.text(r.firstname) + ", " + p.text(r.lastname) + ", " + p.text(r.role_name) + ", " +
        p.text(std::string(adminStatusText(r.status))) + ", " + p.boolean(r.enable_multi_factor) +
        ", " + p.boolean(r.api_key_allowed) + ", " + p.boolean(r.all_organizations) + ", " +
        p.optText(password_hash) + ", " + d_.tsParam(p.integer(created)) + ", " +
        d_.tsParam(p.integer(created)) + ")";
    exec(sql_, q, p);
    return id;
  });
}

Result<AdminRecord> SociTx::getAdmin(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<AdminRecord> {
    SqlParams p;
    auto rows = selectAdmins(
        "WHERE a.provider_id = " + p.text(scope.provider_id) + " AND a.id = " + p.text(id), p,
        lockClause("a"));
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("administrator not found"));
    return std::move(rows->front());
  });
}

Result<AdminRecord> SociTx::getAdminByEmail(const TenantScope& scope, const std::string& email) {
  return guarded([&]() -> Result<AdminRecord> {
    SqlParams p;
    auto rows = selectAdmins("WHERE a.provider_id = " + p.text(scope.provider_id) +
                                 " AND lower(a.email) = lower(" + p.text(email) + ")",
                             p, lockClause("a"));
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("administrator not found"));
    return std::move(rows->front());
  });
}

Result<void> SociTx::updateAdmin(const TenantScope& scope, const AdminRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    std::string q = "UPDATE admins SET version = version + 1, email = " + p.text(r.email) +
                    ", firstname = " + p.text(r.firstname) + ", lastname = " + p.text(r.lastname) +
                    ", role_name = " + p.text(r.role_name) +
                    ", status = " + p.text(std::string(adminStatusText(r.status))) +
                    ", enable_multi_factor = " + p.boolean(r.enable_multi_factor) +
                    ", api_key_allowed = " + p.boolean(r.api_key_allowed) +
                    ", all_organizations = " + p.boolean(r.all_organizations) +
                    ", updated = " + d_.tsParam(p.integer(now())) +
                    " WHERE provider_id = " + p.text(scope.provider_id) + " AND id = " + p.text(r.id);
    return requireOne(exec(sql_, q, p), "administrator");
  });
}

Result<void> SociTx::deleteAdmin(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM admins WHERE provider_id = " + p.text(scope.provider_id) +
                               " AND id = " + p.text(id),
                           p),
                      "administrator");
  });
}

Result<Page<AdminRecord>> SociTx::listAdmins(const TenantScope& scope, const ListQuery& query) {
  if (auto ok = checkPaging(query); !ok) return fail(ok.error());
  return guarded([&]() -> Result<Page<AdminRecord>> {
    auto where = [&](SqlParams& p) -> Result<std::string> {
      auto f = filterSql(adminFields(), query.filters, p, d_, "");
      if (!f) return fail(f.error());
      return "WHERE a.provider_id = " + p.text(scope.provider_id) + *f;
    };
    auto order = orderSql(adminFields(), query.sort, "a.id");
    if (!order) return fail(order.error());
    Page<AdminRecord> page;
    SqlParams cp;
    auto cw = where(cp);
    if (!cw) return fail(cw.error());
    page.total_count = count(sql_, "SELECT COUNT(*) FROM admins a " + *cw, cp);
    SqlParams p;
    auto w = where(p);
    std::string tail =
        *order + " LIMIT " + p.integer(query.limit) + " OFFSET " + p.integer(query.skip);
    auto rows = selectAdmins(*w, p, tail);
    if (!rows) return fail(rows.error());
    page.results = std::move(*rows);
    return page;
  });
}

Result<std::vector<AdminRecord>> SociTx::listOrganizationAdmins(const TenantScope& scope,
                                                                const std::string& org_id,
                                                                UnixTime at) {
  return guarded([&]() -> Result<std::vector<AdminRecord>> {
    SqlParams p;
    std::string w = "WHERE a.provider_id = " + p.text(scope.provider_id) +
                    " AND EXISTS (SELECT 1 FROM organizations o WHERE o.provider_id = a.provider_id"
                    " AND o.id = " + p.text(org_id) +
                    ") AND (a.all_organizations = " + p.boolean(true) +
                    " OR EXISTS (SELECT 1 FROM admin_org_grants g WHERE g.provider_id = "
                    "a.provider_id AND g.admin_id = a.id AND g.org_id = " + p.text(org_id) +
                    " AND (g.expires_at IS NULL OR g.expires_at > " + d_.tsParam(p.integer(at)) +
                    ")))";
    return selectAdmins(w, p, " ORDER BY a.email, a.id");
  });
}

Result<AdminCredentials> SociTx::getAdminCredentials(const TenantScope& scope,
                                                     const std::string& id) {
  return guarded([&]() -> Result<AdminCredentials> {
    SqlParams p;
    AdminCredentials c;
    std::string status, hash, secret;
    soci::indicator hash_ind = soci::i_ok, secret_ind = soci::i_ok, step_ind = soci::i_ok,
                    locked_ind = soci::i_ok;
    int enrolled = 0, failed = 0;
    long long step = 0, locked = 0;
    bool found = false;
    select(sql_,
           "SELECT id, provider_id, status, password_hash, totp_secret, " +
               boolColumn("totp_enrolled") + ", totp_last_step, failed_logins, " +
               d_.ts("locked_until") + " FROM admins WHERE provider_id = " +
               p.text(scope.provider_id) + " AND id = " + p.text(id) + lockClause(),
           p,
           [&](auto& pt) {
             pt, soci::into(c.admin_id), soci::into(c.provider_id), soci::into(status),
                 soci::into(hash, hash_ind), soci::into(secret, secret_ind), soci::into(enrolled),
                 soci::into(step, step_ind), soci::into(failed), soci::into(locked, locked_ind);
           },
           [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("administrator not found"));
    c.status = parseAdminStatus(status);
    if (hash_ind != soci::i_null) c.password_hash = hash;
    if (secret_ind != soci::i_null) c.totp_secret = secret;
    c.totp_enrolled = enrolled != 0;
    c.totp_last_step = opt(step, step_ind);
    c.failed_logins = failed;
    c.locked_until = opt(locked, locked_ind);
    return c;
  });
}

Result<void> SociTx::setPasswordHash(const TenantScope& scope, const std::string& id,
                                     const std::string& password_hash) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE admins SET version = version + 1, password_hash = " + p.text(password_hash) +
                 ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id),
             p),
        "administrator");
  });
}

Result<void> SociTx::setTotpSecret(const TenantScope& scope, const std::string& id,
                                   const std::optional<std::string>& secret) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE admins SET version = version + 1, totp_secret = " + p.optText(secret) + ", totp_enrolled = " +
                 p.boolean(false) + ", totp_last_step = NULL, updated = " +
                 d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id),
             p),
        "administrator");
  });
}

Result<void> SociTx::setTotpEnrolled(const TenantScope& scope, const std::string& id,
                                     bool enrolled) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE admins SET version = version + 1, totp_enrolled = " + p.boolean(enrolled) +
                 ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id),
             p),
        "administrator");
  });
}

Result<bool> SociTx::acceptTotpStep(const TenantScope& scope, const std::string& id,
                                    std::int64_t step) {
  return guarded([&]() -> Result<bool> {
    SqlParams p;
    long long changed =
        exec(sql_,
             "UPDATE admins SET version = version + 1, totp_last_step = " + p.integer(step) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id) +
                 " AND (totp_last_step IS NULL OR totp_last_step < " + p.integer(step) + ")",
             p);
    if (changed == 1) return true;
    SqlParams e;
    if (count(sql_,
              "SELECT COUNT(*) FROM admins WHERE provider_id = " + e.text(scope.provider_id) +
                  " AND id = " + e.text(id),
              e) == 0) {
      return fail(Status::notFound().withDetail("administrator not found"));
    }
    return false;
  });
}

Result<FailedLogin> SociTx::recordFailedLogin(const TenantScope& scope, const std::string& id,
                                              int lock_after, UnixTime now, UnixTime lock_until) {
  // Read under the row lock (PostgreSQL; SQLite writers are serialized): the decision below
  // sees every failure committed before it.
  auto cred = getAdminCredentials(scope, id);
  if (!cred) return fail(cred.error());
  FailedLogin out;
  if (cred->locked_until && *cred->locked_until > now) {
    out.count = cred->failed_logins;
    return out;
  }
  out.counted = true;
  out.count = (cred->locked_until ? 0 : cred->failed_logins) + 1;  // an expired lock: afresh
  out.locked = lock_after > 0 && out.count >= lock_after;
  return guarded([&]() -> Result<FailedLogin> {
    SqlParams p;
    const std::string count = p.integer(out.count);
    const std::string until = out.locked ? d_.tsParam(p.integer(lock_until)) : std::string("NULL");
    long long changed = exec(sql_,
                             "UPDATE admins SET version = version + 1, failed_logins = " + count + ", locked_until = " + until +
                                 " WHERE provider_id = " + p.text(scope.provider_id) +
                                 " AND id = " + p.text(id),
                             p);
    if (auto one = requireOne(changed, "administrator"); !one) return fail(one.error());
    return out;
  });
}

Result<void> SociTx::clearFailedLogins(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE admins SET version = version + 1, failed_logins = 0, locked_until = NULL "
                           "WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND id = " + p.text(id),
                           p),
                      "administrator");
  });
}

// ---------------------------------------------------------------- grants

Result<void> SociTx::putGrant(const TenantScope& scope, const GrantRecord& g) {
  return guarded([&]() -> Result<void> {
    holdRow("admins", scope, g.admin_id);  // one change of the admin's grants at a time
    SqlParams del;
    exec(sql_,
         "DELETE FROM admin_org_grants WHERE provider_id = " + del.text(scope.provider_id) +
             " AND admin_id = " + del.text(g.admin_id) + " AND org_id = " + del.text(g.org_id),
         del);
    SqlParams p;
    std::optional<std::string> role;
    if (!g.role_name.empty()) role = g.role_name;
    // The composite foreign keys refuse an admin or org of another provider (kNotFound).
    exec(sql_,
         "INSERT INTO admin_org_grants (provider_id, admin_id, org_id, role_name, expires_at, "
         "created) VALUES (" +
             p.text(scope.provider_id) + ", " + p.text(g.admin_id) + ", " + p.text(g.org_id) +
             ", " + p.optText(role) + ", " + d_.tsParam(p.optInteger(optTime(g.expires_at))) +
             ", " + d_.tsParam(p.integer(g.created != 0 ? g.created : now())) + ")",
         p);
    return {};
  });
}

Result<void> SociTx::deleteGrant(const TenantScope& scope, const std::string& admin_id,
                                 const std::string& org_id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM admin_org_grants WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND admin_id = " + p.text(admin_id) +
                               " AND org_id = " + p.text(org_id),
                           p),
                      "grant");
  });
}

std::vector<GrantRecord> SociTx::selectGrants(const std::string& where_sql, SqlParams& p) {
  std::vector<GrantRecord> out;
  GrantRecord g;
  std::string role;
  soci::indicator role_ind = soci::i_ok, exp_ind = soci::i_ok;
  long long exp = 0, created = 0;
  select(sql_,
         "SELECT admin_id, org_id, role_name, " + d_.ts("expires_at") + ", " + d_.ts("created") +
             " FROM admin_org_grants" + where_sql,
         p,
         [&](auto& pt) {
           pt, soci::into(g.admin_id), soci::into(g.org_id), soci::into(role, role_ind),
               soci::into(exp, exp_ind), soci::into(created);
         },
         [&] {
           GrantRecord r = g;
           r.role_name = role_ind == soci::i_null ? std::string() : role;
           r.expires_at = opt(exp, exp_ind);
           r.created = created;
           out.push_back(std::move(r));
         });
  return out;
}

Result<std::vector<GrantRecord>> SociTx::listGrants(const TenantScope& scope,
                                                    const std::string& admin_id) {
  return guarded([&]() -> Result<std::vector<GrantRecord>> {
    SqlParams p;
    const std::string where = " WHERE provider_id = " + p.text(scope.provider_id) +
                              " AND admin_id = " + p.text(admin_id) + " ORDER BY org_id";
    return selectGrants(where, p);
  });
}

Result<std::vector<GrantRecord>> SociTx::listOrganizationGrants(const TenantScope& scope,
                                                                const std::string& org_id) {
  return guarded([&]() -> Result<std::vector<GrantRecord>> {
    SqlParams p;
    std::vector<GrantRecord> out;
    GrantRecord g;
    std::string role;
    soci::indicator role_ind = soci::i_ok, exp_ind = soci::i_ok;
    long long exp = 0, created = 0;
    select(sql_,
           "SELECT admin_id, org_id, role_name, " + d_.ts("expires_at") + ", " +
               d_.ts("created") + " FROM admin_org_grants WHERE provider_id = " +
               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
               " ORDER BY admin_id",
           p,
           [&](auto& pt) {
             pt, soci::into(g.admin_id), soci::into(g.org_id), soci::into(role, role_ind),
                 soci::into(exp, exp_ind), soci::into(created);
           },
           [&] {
             GrantRecord r = g;
             r.role_name = role_ind == soci::i_null ? std::string() : role;
             r.expires_at = opt(exp, exp_ind);
             r.created = created;
             out.push_back(std::move(r));
           });
    return out;
  });
}

Result<void> SociTx::replaceGrants(const TenantScope& scope, const std::string& admin_id,
                                   const std::vector<GrantRecord>& grants) {
  auto done = guarded([&]() -> Result<void> {
    holdRow("admins", scope, admin_id);
    SqlParams p;
    exec(sql_,
         "DELETE FROM admin_org_grants WHERE provider_id = " + p.text(scope.provider_id) +
             " AND admin_id = " + p.text(admin_id),
         p);
    return {};
  });
  if (!done) return done;
  for (GrantRecord g : grants) {
    g.admin_id = admin_id;
    if (auto r = putGrant(scope, g); !r) return r;
  }
  return {};
}

Result<std::vector<LoginCandidate>> SociTx::findAdminsByEmail(const std::string& email) {
  return guarded([&]() -> Result<std::vector<LoginCandidate>> {
    SqlParams p;
    std::vector<LoginCandidate> out;
    LoginCandidate c;
    select(sql_,
           "SELECT provider_id, id FROM admins WHERE lower(email) = lower(" + p.text(email) +
               ") ORDER BY provider_id",
           p, [&](auto& pt) { pt, soci::into(c.provider_id), soci::into(c.admin_id); },
           [&] { out.push_back(c); });
    return out;
  });
}

}  // namespace mtp::store::detail
