#include "app/report_service.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "app/activity_service.h"  // csvCell
#include "app/admin_text.h"        // formatRfc3339

namespace mtp::app {

namespace {

using nlohmann::json;

// Rows as (header, cells): rendered as CSV (each cell defused by csvCell) or a JSON array of
// objects with the header's names.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::string render(const Table& t, const std::string& format) {
  if (format == "json") {
    json out = json::array();
    for (const auto& row : t.rows) {
      json o = json::object();
      for (std::size_t i = 0; i < t.header.size(); ++i) o[t.header[i]] = row[i];
      out.push_back(std::move(o));
    }
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csvCell(cells[i]);
    out += "\r\n";
  };
  line(t.header);
  for (const auto& row : t.rows) line(row);
  return out;
}

Result<Table> usersTable(store::Tx& tx, const model::TenantScope& scope,
                                const model::OrgReach& reach) {
  Table t{{"id", "organization", "username", "email", "firstname", "lastname", "state"}, {}};
  model::ListQuery q;
  q.limit = model::ListQuery::kMaxLimit;
  for (;; q.skip += q.limit) {
    auto page = tx.listSystemUsers(scope, reach, q);
    if (!page) return fail(page.error());
    for (const auto& u : page->results) {
      t.rows.push_back({u.id, u.org_id, u.username, u.email, u.firstname, u.lastname,
                        std::string(model::userStateText(u.state))});
    }
    if (page->results.size() < static_cast<std::size_t>(q.limit) ||
        static_cast<std::int64_t>(t.rows.size()) > kMaxReportRows)
      break;
  }
  return t;
}

Result<Table> devicesTable(store::Tx& tx, const model::TenantScope& scope,
                                  const model::OrgReach& reach) {
  Table t{{"id", "organization", "displayName", "hostname", "os", "osFamily", "version", "active",
           "lastContact"},
          {}};
  model::ListQuery q;
  q.limit = model::ListQuery::kMaxLimit;
  for (;; q.skip += q.limit) {
    auto page = tx.listDevices(scope, reach, q);
    if (!page) return fail(page.error());
    for (const auto& d : page->results) {
      t.rows.push_back({d.id, d.org_id, d.display_name, d.hostname, d.os, d.os_family, d.version,
                        d.active ? "true" : "false",
                        d.last_contact ? formatRfc3339(*d.last_contact) : ""});
    }
    if (page->results.size() < static_cast<std::size_t>(q.limit) ||
        static_cast<std::int64_t>(t.rows.size()) > kMaxReportRows)
      break;
  }
  return t;
}

// One row per admin and org of the report they reach: all-orgs admins on every org of the
// report, others on their granted ones (unexpired at `now`).
Result<Table> adminsTable(store::Tx& tx, const model::TenantScope& scope,
                                 const std::vector<std::string>& org_ids, std::int64_t now) {
  Table t{{"adminId", "email", "status", "organization", "role", "access", "expires"}, {}};
  const std::set<std::string> orgs(org_ids.begin(), org_ids.end());
  model::ListQuery q;
  q.limit = model::ListQuery::kMaxLimit;
  for (;; q.skip += q.limit) {
    auto page = tx.listAdmins(scope, q);
    if (!page) return fail(page.error());
    for (const auto& a : page->results) {
      const std::string status(model::adminStatusText(a.status));
      if (a.all_organizations) {
        for (const auto& o : orgs) t.rows.push_back({a.id, a.email, status, o, a.role_name, "all_organizations", ""});
        continue;
      }
      auto grants = tx.listGrants(scope, a.id);
      if (!grants) return fail(grants.error());
      for (const auto& g : *grants) {
        if (!orgs.count(g.org_id) || (g.expires_at && *g.expires_at <= now)) continue;
        t.rows.push_back({a.id, a.email, status, g.org_id,
                          g.role_name.empty() ? a.role_name : g.role_name, "grant",
                          g.expires_at ? formatRfc3339(*g.expires_at) : ""});
      }
    }
    if (page->results.size() < static_cast<std::size_t>(q.limit) ||
        static_cast<std::int64_t>(t.rows.size()) > kMaxReportRows)
      break;
  }
  return t;
}

// Events of the report's orgs in [from, to), counted per org and event type.
Result<Table> activityTable(store::Tx& tx, const model::TenantScope& scope,
                                   const model::OrgReach& reach, std::int64_t from,
                                   std::int64_t to) {
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
  model::ActivityQuery q;
  q.start_time = from;
  q.end_time = to;
  q.limit = 1000;
  q.reach = reach;
  q.provider_level = false;
  for (std::int64_t seen = 0; seen <= kMaxReportRows * 10;) {
    auto events = tx.listActivity(scope, q);
    if (!events) return fail(events.error());
    for (const auto& e : *events) ++counts[{e.organization, e.event_type}];
    seen += static_cast<std::int64_t>(events->size());
    if (events->size() < static_cast<std::size_t>(q.limit)) break;
    q.after_timestamp = events->back().timestamp;
    q.after_id = events->back().id;
  }
  Table t{{"organization", "eventType", "count", "from", "to"}, {}};
  for (const auto& [k, n] : counts) {
    t.rows.push_back({k.first, k.second, std::to_string(n), formatRfc3339(from), formatRfc3339(to)});
  }
  return t;
}

}  // namespace

std::string reportAction(const std::string& kind) {
  if (kind == "users") return "users.read";
  if (kind == "devices") return "devices.read";
  if (kind == "admins") return "admins.read";
  if (kind == "activity") return "activity.read";
  return "";
}

Result<std::pair<std::string, std::int64_t>> renderReport(store::Tx& tx, const Report& r) {
  const model::TenantScope scope{r.provider_id};
  const auto reach = model::OrgReach::only(r.org_ids);
  Result<Table> t = fail(Status::invalidArgument("unknown report kind"));
  if (r.kind == "users") t = usersTable(tx, scope, reach);
  else if (r.kind == "devices") t = devicesTable(tx, scope, reach);
  else if (r.kind == "admins") t = adminsTable(tx, scope, r.org_ids, tx.now());
  else if (r.kind == "activity") t = activityTable(tx, scope, reach, r.period_from.value_or(0), r.period_to.value_or(0));
  if (!t) return fail(t.error());
  if (static_cast<std::int64_t>(t->rows.size()) > kMaxReportRows) {
    return fail(Status::preconditionFailed("the report has more than " +
                                           std::to_string(kMaxReportRows) + " rows"));
  }
  return std::pair{render(*t, r.format), static_cast<std::int64_t>(t->rows.size())};
}

Result<Report> ReportService::request(const Actor& actor, const ReportRequest& req,
                                         std::vector<std::string> org_ids) {
  if (reportAction(req.kind).empty()) {
    return fail(Status::invalidArgument("field `kind` must be users, devices, admins or activity"));
  }
  if (req.format != "csv" && req.format != "json") {
    return fail(Status::invalidArgument("field `format` must be csv or json"));
  }
  if (req.kind == "activity") {
    if (!req.from || !req.to || *req.from >= *req.to) {
      return fail(Status::invalidArgument("an activity report needs `from` before `to`"));
    }
  } else if (req.from || req.to) {
    return fail(Status::invalidArgument("`from` and `to` are only for an activity report"));
  }
  if (org_ids.empty()) return fail(Status::notFound("no organization in reach"));
  std::sort(org_ids.begin(), org_ids.end());
  org_ids.erase(std::unique(org_ids.begin(), org_ids.end()), org_ids.end());
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<Report> {
    Report r;
    r.provider_id = actor.provider_id;
    r.org_id = req.organization;
    r.kind = req.kind;
    r.format = req.format;
    r.period_from = req.from;
    r.period_to = req.to;
    r.requested_by = actor.admin_id;
    r.created = tx.now();
    r.org_ids = org_ids;
    auto id = tx.createReportRequest(actor.scope(), r);
    if (!id) return fail(id.error());
    r.id = *id;
    Actor who = actor;
    if (who.email.empty()) {
      if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
    }
    auto ev = activityEvent(who, "report_requested", "report", r.id,
                            {{"kind", "", r.kind}, {"format", "", r.format},
                             {"organizations", "", std::to_string(org_ids.size())}},
                            req.organization);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return r;
  });
  if (!out) return fail(out.error());
  return *out;
}

Result<std::vector<std::string>> ReportService::organizationIds(const Actor& actor) {
  auto out = app_.store().query([&](store::Tx& tx) -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    model::ListQuery q;
    q.limit = model::ListQuery::kMaxLimit;
    for (;; q.skip += q.limit) {
      auto page = tx.listOrganizations(actor.scope(), model::OrgReach::everything(), q);
      if (!page) return fail(page.error());
      for (const auto& o : page->results) ids.push_back(o.id);
      if (page->results.size() < static_cast<std::size_t>(q.limit)) break;
    }
    return ids;
  });
  if (!out) return fail(out.error());
  return *out;
}

Result<model::Page<Report>> ReportService::list(const Actor& actor, const ReportReader& reader,
                                                   int limit, int skip) {
  auto page = app_.store().query(
      [&](store::Tx& tx) { return tx.listReportRequests(actor.scope(), reader, limit, skip); });
  if (!page) return fail(page.error());
  return *page;
}

Result<Report> ReportService::get(const Actor& actor, const ReportReader& reader,
                                     const std::string& id) {
  auto r = app_.store().query(
      [&](store::Tx& tx) { return tx.getReportRequest(actor.scope(), reader, id); });
  if (!r) return fail(r.error());
  return *r;
}

Result<std::string> ReportService::file(const Actor& actor, const ReportReader& reader,
                                           const std::string& id) {
  auto out = app_.store().query([&](store::Tx& tx) -> Result<std::string> {
    auto r = tx.getReportRequest(actor.scope(), reader, id);
    if (!r) return fail(r.error());
    if (r->status != "ready") {
      return fail(Status::preconditionFailed("the report is " + r->status));
    }
    return tx.getReportContent(actor.scope(), id);
  });
  if (!out) return fail(out.error());
  return *out;
}

Result<int> buildPendingReports(store::Store& store, std::int64_t now, int limit) {
  auto pending = store.query([&](store::Tx& tx) { return tx.pendingReportRequests(limit); });
  if (!pending) return fail(pending.error());
  int done = 0;
  for (const auto& r : *pending) {
    const model::TenantScope scope{r.provider_id};
    auto built = store.query([&](store::Tx& tx) -> Result<std::pair<std::string, std::int64_t>> {
      auto c = renderReport(tx, r);
      if (!c) return fail(Status::preconditionFailed(c.error().message));
      return *c;
    });
    const bool ok = built.has_value();
    auto fin = store.transact([&](store::Tx& tx) -> Result<void> {
      if (auto f = tx.finishReportRequest(scope, r.id, ok ? "ready" : "failed",
                                          ok ? built->first : "", ok ? built->second : 0,
                                          ok ? "" : built.error().text(), now);
          !f)
        return f;
      auto ev = systemEvent(scope, ok ? "report_ready" : "report_failed", "report", r.id,
                            {{"status", "pending", ok ? "ready" : "failed"}}, r.org_id);
      if (auto e = tx.appendActivity(scope, ev); !e) return fail(e.error());
      return {};
    });
    if (fin) ++done;
  }
  return done;
}

Result<std::int64_t> purgeOldReports(store::Store& store, std::int64_t now) {
  auto n = store.transact(
      [&](store::Tx& tx) { return tx.purgeReports(now - kReportDays * 86400); });
  if (!n) return fail(n.error());
  return *n;
}

}  // namespace mtp::app
