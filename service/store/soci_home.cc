// SociTx: the Home widgets (schema 005_home.sql) — store/home_store.h. Every count is one
// COUNT(*) whose predicate matches a (partial) index of 005 exactly, so it stays a range or
// index-only scan over (provider_id, ...) at any size; the reach is an `org_id IN (...)`.
#include <soci/soci.h>

#include <algorithm>

#include "store/soci_exec.h"
#include "store/soci_tx.h"
#include "store/sql_params.h"
#include "store/util.h"

namespace mtp::store::detail {

std::string reportCoverSql(const OrgReach& reach, SqlParams& p);  // soci_reports.cc

namespace {

constexpr std::int64_t kDay = 86400;

// "Users report" for the kind `users`.
std::string reportTitle(std::string kind) {
  if (!kind.empty()) kind[0] = static_cast<char>(kind[0] - 'a' + 'A');
  return kind + " report";
}

std::string reachSql(std::string_view col, const OrgReach& reach, SqlParams& p) {
  return reach.all ? std::string() : " AND " + inList(col, reach.ids, p);
}

// The widget's predicate over system_users `u` (as the 005 index predicates spell it) and the
// order of its detail list.
struct UserWidgetSql {
  std::string where;
  std::string order;
};

UserWidgetSql userWidgetSql(const Dialect& d, const HomeUserQuery& q, SqlParams& p) {
  const std::int64_t window = std::max<std::int64_t>(q.days, 0) * kDay;
  switch (q.widget) {
    case HomeUserWidget::kLockouts:
      return {"u.account_locked", "u.locked_at DESC, u.id"};
    case HomeUserWidget::kExpiredPasswords:
      return {"(u.password_expired OR (u.password_expiration_date IS NOT NULL AND "
              "u.password_expiration_date <= " +
                  d.tsParam(p.integer(q.now)) + "))",
              "u.password_expiration_date, u.id"};
    case HomeUserWidget::kUpcomingExpirations:
      return {"u.password_expiration_date IS NOT NULL AND u.password_expiration_date > " +
                  d.tsParam(p.integer(q.now)) + " AND u.password_expiration_date <= " +
                  d.tsParam(p.integer(q.now + window)) + " AND NOT u.password_expired",
              "u.password_expiration_date, u.id"};
    case HomeUserWidget::kNewUsers:
      return {"u.created >= " + d.tsParam(p.integer(q.now - window)), "u.created DESC, u.id"};
    case HomeUserWidget::kScheduledSuspensions:
      return {"u.scheduled_suspension_at IS NOT NULL AND u.scheduled_suspension_at >= " +
                  d.tsParam(p.integer(q.now)) + " AND u.scheduled_suspension_at <= " +
                  d.tsParam(p.integer(q.now + window)),
              "u.scheduled_suspension_at, u.id"};
    case HomeUserWidget::kScheduledActivations:
      return {"u.scheduled_activation_at IS NOT NULL AND u.scheduled_activation_at >= " +
                  d.tsParam(p.integer(q.now)) + " AND u.scheduled_activation_at <= " +
                  d.tsParam(p.integer(q.now + window)),
              "u.scheduled_activation_at, u.id"};
    case HomeUserWidget::kSudo:
      return {"u.sudo", "u.username, u.id"};
    case HomeUserWidget::kPasswordlessSudo:
      return {"u.passwordless_sudo", "u.username, u.id"};
    case HomeUserWidget::kWithoutPassword:
      return {"u.password_hash IS NULL", "u.username, u.id"};
    case HomeUserWidget::kSamba:
      return {"u.samba_service_user", "u.username, u.id"};
    case HomeUserWidget::kAll:
      return {"1 = 1", "u.username, u.id"};
  }
  return {"1 = 0", "u.id"};
}

struct HomeUserRow {
  std::string id, org_id, org_name, username, email, firstname, lastname, state;
  int locked = 0, expired = 0, pw_set = 0, sudo = 0, pwless = 0, samba = 0;
  long long locked_at = 0, exp = 0, susp = 0, act = 0, created = 0;
  soci::indicator org_ind = soci::i_ok, locked_ind = soci::i_ok, exp_ind = soci::i_ok,
                  susp_ind = soci::i_ok, act_ind = soci::i_ok;

  static std::string columns(const Dialect& d, UnixTime now) {
    return "u.id, u.org_id, o.name, u.username, u.email, u.firstname, u.lastname, u.state, " +
           boolColumn("u.account_locked") +
           ", CASE WHEN u.password_expired OR (u.password_expiration_date IS NOT NULL AND "
           "u.password_expiration_date <= " +
           d.tsParam(std::to_string(now)) +
           ") THEN 1 ELSE 0 END, CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END, " +
           boolColumn("u.sudo") + ", " + boolColumn("u.passwordless_sudo") + ", " +
           boolColumn("u.samba_service_user") + ", " + d.ts("u.locked_at") + ", " +
           d.ts("u.password_expiration_date") + ", " + d.ts("u.scheduled_suspension_at") + ", " +
           d.ts("u.scheduled_activation_at") + ", " + d.ts("u.created");
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(org_id), soci::into(org_name, org_ind), soci::into(username),
        soci::into(email), soci::into(firstname), soci::into(lastname), soci::into(state),
        soci::into(locked), soci::into(expired), soci::into(pw_set), soci::into(sudo),
        soci::into(pwless), soci::into(samba), soci::into(locked_at, locked_ind),
        soci::into(exp, exp_ind), soci::into(susp, susp_ind), soci::into(act, act_ind),
        soci::into(created);
  }
  HomeUserItem record() const {
    HomeUserItem r;
    r.id = id;
    r.org_id = org_id;
    r.org_name = org_ind == soci::i_null ? "" : org_name;
    r.username = username;
    r.email = email;
    r.firstname = firstname;
    r.lastname = lastname;
    r.state = state;
    r.account_locked = locked != 0;
    r.password_expired = expired != 0;
    r.password_set = pw_set != 0;
    r.sudo = sudo != 0;
    r.passwordless_sudo = pwless != 0;
    r.samba_service_user = samba != 0;
    r.locked_at = opt(locked_at, locked_ind);
    r.password_expiration_date = opt(exp, exp_ind);
    r.scheduled_suspension_at = opt(susp, susp_ind);
    r.scheduled_activation_at = opt(act, act_ind);
    r.created = created;
    return r;
  }
};

std::string deviceWidgetSql(const Dialect& d, const HomeDeviceQuery& q, SqlParams& p) {
  const std::int64_t window = std::max<std::int64_t>(q.days, 0) * kDay;
  if (q.widget == HomeDeviceWidget::kInactive) {
    return "(v.last_contact IS NULL OR v.last_contact < " + d.tsParam(p.integer(q.now - window)) +
           ")";
  }
  return "v.uptime_seconds > " + p.integer(window);
}

struct HomeDeviceRow {
  std::string id, org_id, org_name, display_name, hostname, os, os_family, version;
  int active = 0;
  long long last_contact = 0, uptime = 0;
  soci::indicator org_ind = soci::i_ok, lc_ind = soci::i_ok;

  static std::string columns(const Dialect& d) {
    return "v.id, v.org_id, o.name, v.display_name, v.hostname, v.os, v.os_family, v.version, " +
           boolColumn("v.active") + ", " + d.ts("v.last_contact") + ", v.uptime_seconds";
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(org_id), soci::into(org_name, org_ind),
        soci::into(display_name), soci::into(hostname), soci::into(os), soci::into(os_family),
        soci::into(version), soci::into(active), soci::into(last_contact, lc_ind),
        soci::into(uptime);
  }
  HomeDeviceItem record() const {
    HomeDeviceItem r;
    r.id = id;
    r.org_id = org_id;
    r.org_name = org_ind == soci::i_null ? "" : org_name;
    r.display_name = display_name;
    r.hostname = hostname;
    r.os = os;
    r.os_family = os_family;
    r.version = version;
    r.active = active != 0;
    r.last_contact = opt(last_contact, lc_ind);
    r.uptime_seconds = uptime;
    return r;
  }
};

std::string joinWidgets(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ",";
    out += id;
  }
  return out;
}

std::vector<std::string> splitWidgets(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- users and devices

Result<std::int64_t> SociTx::countHomeUsers(const TenantScope& scope, const OrgReach& reach,
                                            const HomeUserQuery& query) {
  return guard(*this, [&]() -> Result<std::int64_t> {
    // expired_passwords is "forced OR past its date": counted as two disjoint ranges, each
    // index-only on its own partial index (005's forced, 006's unforced-by-date), instead of
    // one BitmapOr that rechecks every heap page.
    if (query.widget != HomeUserWidget::kExpiredPasswords) {
      SqlParams p;
      std::string w = " WHERE u.provider_id = " + p.text(scope.provider_id);
      w += reachSql("u.org_id", reach, p);
      w += " AND " + userWidgetSql(d_, query, p).where;
      return count(sql_, "SELECT COUNT(*) FROM system_users u" + w, p);
    }
    long long total = 0;
    for (int part = 0; part < 2; ++part) {
      SqlParams p;
      std::string w = " WHERE u.provider_id = " + p.text(scope.provider_id);
      w += reachSql("u.org_id", reach, p);
      w += part == 0 ? std::string(" AND u.password_expired")
                     : " AND u.password_expiration_date IS NOT NULL AND NOT u.password_expired "
                       "AND u.password_expiration_date <= " +
                           d_.tsParam(p.integer(query.now));
      total += count(sql_, "SELECT COUNT(*) FROM system_users u" + w, p);
    }
    return static_cast<std::int64_t>(total);
  });
}

Result<Page<HomeUserItem>> SociTx::listHomeUsers(const TenantScope& scope, const OrgReach& reach,
                                                 const HomeUserQuery& query, int limit,
                                                 int skip) {
  if (limit < 1 || skip < 0) return fail(Status::invalidArgument("bad paging"));
  auto total = countHomeUsers(scope, reach, query);
  if (!total) return fail(total.error());
  return guard(*this, [&]() -> Result<Page<HomeUserItem>> {
    Page<HomeUserItem> page;
    page.total_count = *total;
    SqlParams p;
    std::string w = " WHERE u.provider_id = " + p.text(scope.provider_id);
    w += reachSql("u.org_id", reach, p);
    const UserWidgetSql ws = userWidgetSql(d_, query, p);
    w += " AND " + ws.where;
    std::string q = "SELECT " + HomeUserRow::columns(d_, query.now) +
                    " FROM system_users u LEFT JOIN organizations o ON o.provider_id = "
                    "u.provider_id AND o.id = u.org_id" +
                    w + " ORDER BY " + ws.order + " LIMIT " + p.integer(limit) + " OFFSET " +
                    p.integer(skip);
    HomeUserRow row;
    select(sql_, q, p, [&](auto& pt) { row.bind(pt); },
           [&] { page.results.push_back(row.record()); });
    return page;
  });
}

Result<std::int64_t> SociTx::countHomeDevices(const TenantScope& scope, const OrgReach& reach,
                                              const HomeDeviceQuery& query) {
  return guard(*this, [&]() -> Result<std::int64_t> {
    if (query.widget != HomeDeviceWidget::kInactive) {
      SqlParams p;
      std::string w = " WHERE v.provider_id = " + p.text(scope.provider_id);
      w += reachSql("v.org_id", reach, p);
      w += " AND " + deviceWidgetSql(d_, query, p);
      return count(sql_, "SELECT COUNT(*) FROM devices v" + w, p);
    }
    // "never seen OR not since": two disjoint index-only ranges of (provider_id,
    // last_contact), not one OR that reads the heap.
    long long total = 0;
    for (int part = 0; part < 2; ++part) {
      SqlParams p;
      std::string w = " WHERE v.provider_id = " + p.text(scope.provider_id);
      w += reachSql("v.org_id", reach, p);
      w += part == 0 ? std::string(" AND v.last_contact IS NULL")
                     : " AND v.last_contact < " +
                           d_.tsParam(p.integer(query.now -
                                                std::max<std::int64_t>(query.days, 0) * kDay));
      total += count(sql_, "SELECT COUNT(*) FROM devices v" + w, p);
    }
    return static_cast<std::int64_t>(total);
  });
}

Result<Page<HomeDeviceItem>> SociTx::listHomeDevices(const TenantScope& scope,
                                                     const OrgReach& reach,
                                                     const HomeDeviceQuery& query, int limit,
                                                     int skip) {
  if (limit < 1 || skip < 0) return fail(Status::invalidArgument("bad paging"));
  auto total = countHomeDevices(scope, reach, query);
  if (!total) return fail(total.error());
  return guard(*this, [&]() -> Result<Page<HomeDeviceItem>> {
    Page<HomeDeviceItem> page;
    page.total_count = *total;
    SqlParams p;
    std::string w = " WHERE v.provider_id = " + p.text(scope.provider_id);
    w += reachSql("v.org_id", reach, p);
    w += " AND " + deviceWidgetSql(d_, query, p);
    // Never-seen devices first, then the longest silent; or the longest up.
    const std::string order = query.widget == HomeDeviceWidget::kInactive
                                  ? " ORDER BY CASE WHEN v.last_contact IS NULL THEN 0 ELSE 1 "
                                    "END, v.last_contact, v.id"
                                  : " ORDER BY v.uptime_seconds DESC, v.id";
    std::string q = "SELECT " + HomeDeviceRow::columns(d_) +
                    " FROM devices v LEFT JOIN organizations o ON o.provider_id = v.provider_id "
                    "AND o.id = v.org_id" +
                    w + order + " LIMIT " + p.integer(limit) + " OFFSET " + p.integer(skip);
    HomeDeviceRow row;
    select(sql_, q, p, [&](auto& pt) { row.bind(pt); },
           [&] { page.results.push_back(row.record()); });
    return page;
  });
}

// ---------------------------------------------------------------- admins without MFA

Result<Page<AdminRecord>> SociTx::listAdminsWithoutMfa(const TenantScope& scope, int limit,
                                                       int skip) {
  if (limit < 0 || skip < 0) return fail(Status::invalidArgument("bad paging"));
  return guard(*this, [&]() -> Result<Page<AdminRecord>> {
    Page<AdminRecord> page;
    SqlParams pp;
    int required = 0;
    bool found = false;
    select(sql_,
           "SELECT " + boolColumn("require_admin_mfa") + " FROM providers WHERE id = " +
               pp.text(scope.provider_id),
           pp, [&](auto& pt) { pt, soci::into(required); }, [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("provider not found"));
    if (required != 0) return page;
    SqlParams cp;
    page.total_count = count(sql_,
                             "SELECT COUNT(*) FROM admins a WHERE a.provider_id = " +
                                 cp.text(scope.provider_id) + " AND NOT a.enable_multi_factor",
                             cp);
    if (limit == 0) return page;
    SqlParams p;
    auto rows = selectAdmins("WHERE a.provider_id = " + p.text(scope.provider_id) +
                                 " AND NOT a.enable_multi_factor",
                             p,
                             " ORDER BY lower(a.email), a.id LIMIT " + p.integer(limit) +
                                 " OFFSET " + p.integer(skip));
    if (!rows) return fail(rows.error());
    page.results = std::move(*rows);
    return page;
  });
}

// ---------------------------------------------------------------- MDM

Result<void> SociTx::putOrgMdm(const TenantScope& scope, const std::string& org_id,
                               const std::vector<OrgMdmItem>& items) {
  return guard(*this, [&]() -> Result<void> {
    if (!lockRow("organizations", scope, org_id)) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    SqlParams vp;
    exec(sql_,
         "UPDATE organizations SET mdm_version = mdm_version + 1 WHERE provider_id = " +
             vp.text(scope.provider_id) + " AND id = " + vp.text(org_id),
         vp);
    SqlParams dp;
    exec(sql_,
         "DELETE FROM org_mdm WHERE provider_id = " + dp.text(scope.provider_id) +
             " AND org_id = " + dp.text(org_id),
         dp);
    for (const OrgMdmItem& item : items) {
      SqlParams p;
      exec(sql_,
           "INSERT INTO org_mdm (provider_id, org_id, kind, expires_at, updated) VALUES (" +
               p.text(scope.provider_id) + ", " + p.text(org_id) + ", " + p.text(item.kind) +
               ", " + d_.tsParam(p.integer(item.expires_at)) + ", " +
               d_.tsParam(p.integer(now())) + ")",
           p);
    }
    return {};
  });
}

Result<std::int64_t> SociTx::getOrgMdmVersion(const TenantScope& scope,
                                              const std::string& org_id) {
  return guard(*this, [&]() -> Result<std::int64_t> {
    SqlParams p;
    long long version = 0;
    bool found = false;
    select(sql_,
           "SELECT mdm_version FROM organizations WHERE provider_id = " + p.text(scope.provider_id) +
               " AND id = " + p.text(org_id) + lockClause(),
           p, [&](auto& pt) { pt, soci::into(version); }, [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("organization not found"));
    return static_cast<std::int64_t>(version);
  });
}

Result<std::vector<OrgMdmItem>> SociTx::getOrgMdm(const TenantScope& scope,
                                                  const std::string& org_id) {
  return guard(*this, [&]() -> Result<std::vector<OrgMdmItem>> {
    if (!lockRow("organizations", scope, org_id)) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    std::vector<OrgMdmItem> out;
    OrgMdmItem item;
    item.org_id = org_id;
    std::string kind;
    long long at = 0;
    SqlParams p;
    select(sql_,
           "SELECT kind, " + d_.ts("expires_at") +
               " FROM org_mdm WHERE provider_id = " + p.text(scope.provider_id) +
               " AND org_id = " + p.text(org_id) + " ORDER BY kind",
           p, [&](auto& pt) { pt, soci::into(kind), soci::into(at); },
           [&] {
             item.kind = kind;
             item.expires_at = at;
             out.push_back(item);
           });
    return out;
  });
}

Result<std::int64_t> SociTx::countMdmOrgs(const TenantScope& scope, const OrgReach& reach,
                                          UnixTime before) {
  return guard(*this, [&]() -> Result<std::int64_t> {
    SqlParams p;
    return count(sql_,
                 "SELECT COUNT(DISTINCT m.org_id) FROM org_mdm m WHERE m.provider_id = " +
                     p.text(scope.provider_id) + reachSql("m.org_id", reach, p) +
                     " AND m.expires_at <= " + d_.tsParam(p.integer(before)),
                 p);
  });
}

Result<Page<OrgMdmItem>> SociTx::listMdmItems(const TenantScope& scope, const OrgReach& reach,
                                              int limit, int skip) {
  if (limit < 1 || skip < 0) return fail(Status::invalidArgument("bad paging"));
  return guard(*this, [&]() -> Result<Page<OrgMdmItem>> {
    Page<OrgMdmItem> page;
    SqlParams cp;
    page.total_count = count(sql_,
                             "SELECT COUNT(*) FROM org_mdm m WHERE m.provider_id = " +
                                 cp.text(scope.provider_id) + reachSql("m.org_id", reach, cp),
                             cp);
    SqlParams p;
    OrgMdmItem item;
    std::string name;
    soci::indicator name_ind = soci::i_ok;
    long long at = 0;
    select(sql_,
           "SELECT m.org_id, o.name, m.kind, " + d_.ts("m.expires_at") +
               " FROM org_mdm m LEFT JOIN organizations o ON o.provider_id = m.provider_id AND "
               "o.id = m.org_id WHERE m.provider_id = " +
               p.text(scope.provider_id) + reachSql("m.org_id", reach, p) +
               " ORDER BY m.expires_at, m.org_id, m.kind LIMIT " + p.integer(limit) +
               " OFFSET " + p.integer(skip),
           p,
           [&](auto& pt) {
             pt, soci::into(item.org_id), soci::into(name, name_ind), soci::into(item.kind),
                 soci::into(at);
           },
           [&] {
             item.org_name = name_ind == soci::i_null ? "" : name;
             item.expires_at = at;
             page.results.push_back(item);
           });
    return page;
  });
}

// ---------------------------------------------------------------- reports

Result<Page<ReportRecord>> SociTx::listReportsReady(const TenantScope& scope,
                                                    const OrgReach& reach, UnixTime since,
                                                    UnixTime until, int limit, int skip) {
  if (limit < 0 || skip < 0) return fail(Status::invalidArgument("bad paging"));
  return guard(*this, [&]() -> Result<Page<ReportRecord>> {
    Page<ReportRecord> page;
    auto where = [&](SqlParams& p) {
      return " WHERE r.provider_id = " + p.text(scope.provider_id) + " AND r.status = 'ready' AND " +
             reportCoverSql(reach, p) + " AND r.ready_at >= " +
             d_.tsParam(p.integer(since)) + " AND r.ready_at <= " + d_.tsParam(p.integer(until));
    };
    SqlParams cp;
    page.total_count = count(sql_, "SELECT COUNT(*) FROM reports r" + where(cp), cp);
    if (limit == 0) return page;
    SqlParams p;
    ReportRecord row;
    std::string name;
    soci::indicator name_ind = soci::i_ok;
    long long created = 0, ready = 0;
    select(sql_,
           "SELECT r.id, COALESCE(r.org_id, ''), o.name, r.kind, r.format, " + d_.ts("r.created") + ", " +
               d_.ts("r.ready_at") +
               " FROM reports r LEFT JOIN organizations o ON o.provider_id = r.provider_id AND "
               "o.id = r.org_id" +
               where(p) + " ORDER BY r.ready_at DESC, r.id LIMIT " + p.integer(limit) +
               " OFFSET " + p.integer(skip),
           p,
           [&](auto& pt) {
             pt, soci::into(row.id), soci::into(row.org_id), soci::into(name, name_ind),
                 soci::into(row.name), soci::into(row.format), soci::into(created),
                 soci::into(ready);
           },
           [&] {
             row.org_name = name_ind == soci::i_null ? "" : name;
             row.name = reportTitle(row.name);
             row.created = created;
             row.ready_at = ready;
             page.results.push_back(row);
           });
    return page;
  });
}

// ---------------------------------------------------------------- Manage Home

Result<AdminHomeRecord> SociTx::getAdminHome(const TenantScope& scope,
                                             const std::string& admin_id) {
  return guard(*this, [&]() -> Result<AdminHomeRecord> {
    holdRow("admins", scope, admin_id);  // the choice hangs off the admin
    SqlParams p;
    AdminHomeRecord out;
    out.admin_id = admin_id;
    std::string widgets;
    int up = 0, uptime = 0, sched = 0;
    long long updated = 0, version = 1;
    bool found = false;
    select(sql_,
           "SELECT widgets, upcoming_password_expiration_days, long_uptime_days, "
           "scheduled_days, " +
               d_.ts("updated") + ", version FROM admin_home WHERE provider_id = " +
               p.text(scope.provider_id) + " AND admin_id = " + p.text(admin_id),
           p,
           [&](auto& pt) {
             pt, soci::into(widgets), soci::into(up), soci::into(uptime), soci::into(sched),
                 soci::into(updated), soci::into(version);
           },
           [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("no home settings"));
    out.version = version;
    out.widgets = splitWidgets(widgets);
    out.upcoming_password_expiration_days = up;
    out.long_uptime_days = uptime;
    out.scheduled_days = sched;
    out.updated = updated;
    return out;
  });
}

Result<void> SociTx::putAdminHome(const TenantScope& scope, const AdminHomeRecord& r) {
  return guard(*this, [&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "INSERT INTO admin_home (provider_id, admin_id, widgets, "
         "upcoming_password_expiration_days, long_uptime_days, scheduled_days, updated) "
         "VALUES (" +
             p.text(scope.provider_id) + ", " + p.text(r.admin_id) + ", " +
             p.text(joinWidgets(r.widgets)) + ", " +
             p.integer(r.upcoming_password_expiration_days) + ", " +
             p.integer(r.long_uptime_days) + ", " + p.integer(r.scheduled_days) + ", " +
             d_.tsParam(p.integer(now())) +
             ") ON CONFLICT (provider_id, admin_id) DO UPDATE SET widgets = excluded.widgets, "
             "upcoming_password_expiration_days = excluded.upcoming_password_expiration_days, "
             "long_uptime_days = excluded.long_uptime_days, scheduled_days = "
             "excluded.scheduled_days, updated = excluded.updated, version = "
             "admin_home.version + 1",
         p);
    return {};
  });
}

// ---------------------------------------------------------------- OS releases (global)

Result<std::string> SociTx::addOsRelease(const OsReleaseRecord& r) {
  if (r.os_family.empty() || r.version.empty()) {
    return fail(Status::invalidArgument("os family and version are required"));
  }
  return guard(*this, [&]() -> Result<std::string> {
    std::string id = r.id.empty() ? newId() : r.id;
    SqlParams p;
    exec(sql_,
         "INSERT INTO os_releases (id, os_family, version, build, released_at, created) VALUES "
         "(" +
             p.text(id) + ", " + p.text(r.os_family) + ", " + p.text(r.version) + ", " +
             p.text(r.build) + ", " + d_.tsParam(p.integer(r.released_at)) + ", " +
             d_.tsParam(p.integer(r.created != 0 ? r.created : now())) + ")",
         p);
    return id;
  });
}

Result<Page<OsReleaseRecord>> SociTx::listOsReleases(UnixTime since, int limit, int skip) {
  if (limit < 0 || skip < 0) return fail(Status::invalidArgument("bad paging"));
  return guard(*this, [&]() -> Result<Page<OsReleaseRecord>> {
    Page<OsReleaseRecord> page;
    SqlParams cp;
    page.total_count = count(sql_,
                             "SELECT COUNT(*) FROM os_releases WHERE released_at >= " +
                                 d_.tsParam(cp.integer(since)),
                             cp);
    if (limit == 0) return page;
    SqlParams p;
    OsReleaseRecord row;
    long long released = 0, created = 0;
    select(sql_,
           "SELECT id, os_family, version, build, " + d_.ts("released_at") + ", " +
               d_.ts("created") + " FROM os_releases WHERE released_at >= " +
               d_.tsParam(p.integer(since)) +
               " ORDER BY released_at DESC, os_family, version, id LIMIT " + p.integer(limit) +
               " OFFSET " + p.integer(skip),
           p,
           [&](auto& pt) {
             pt, soci::into(row.id), soci::into(row.os_family), soci::into(row.version),
                 soci::into(row.build), soci::into(released), soci::into(created);
           },
           [&] {
             row.released_at = released;
             row.created = created;
             page.results.push_back(row);
           });
    return page;
  });
}

}  // namespace mtp::store::detail
