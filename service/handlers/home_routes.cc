// Home: the widgets' counts and details, the bulk "require MFA" action, Manage Home and the
// orgs' MDM expiry dates.
//   GET  /api/v2/providers/{pid}/home                                 home.read
//   GET  /api/v2/providers/{pid}/home/{id}                            home.read (+ the widget's action)
//   POST /api/v2/providers/{pid}/home/admins_without_mfa/actions      admins.update
//   GET  /api/v2/me/home, PUT /api/v2/me/home                         home.read
//   GET  /api/v2/providers/{pid}/organizations/{id}/mdm               orgs.read   (org in path)
//   PUT  /api/v2/providers/{pid}/organizations/{id}/mdm               orgs.update (org in path)
//
// Which widgets a caller sees is the engine's answer, never a role name: each widget names
// the action it needs (app::homeWidgetAction). An org-scoped one (users.read, devices.read,
// orgs.read) is shown when some role the caller holds has it (the engine's any_organization
// question) and counts only the orgs of the request's Authorization::orgReach
// (handlers/org_reach.h); admins.read is provider-scoped. On GET .../home the engine is asked quietly for each widget (a widget the
// caller may not see is simply absent); the detail of such a widget answers 403 with the
// denial logged and recorded like any other. Unknown widget ids answer 404.
// Choices where the spec is silent:
// - the home shows the widgets that are both chosen (Manage Home) and permitted; the detail
//   of a permitted widget answers whether or not it is chosen.
// - PUT /me/home: `widgets` is required; an absent N keeps its current value. A change
//   writes one `home_settings_update` event.
// - /me/home and an org's .../mdm are versioned (issue 11): GET and PUT answer
//   `ETag: "<version>"` ("0" for the defaults, never set), a PUT with a stale If-Match 412.
// - the bulk action answers 200 with one HTTP-like status per admin (at most 100 ids); an
//   admin already required to use MFA answers 200 and writes nothing.
// - reports_ready's detail takes `format=csv|json` (a download of every row, no paging).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "app/activity_service.h"
#include "app/home_service.h"
#include "handlers/bulk_results.h"
#include "handlers/actor.h"
#include "handlers/etag.h"
#include "http/errors.h"
#include "handlers/list_support.h"
#include "handlers/org_reach.h"
#include "handlers/routes.h"
#include "http/json_body.h"
#include "http/query.h"
#include "mtp/engine/action.h"
#include "mtp/engine/authorizer.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxBulkAdmins = 100;

// The engine's answer for one widget: the reach to count over, nullopt when the caller may
// not see it. `record`: ask through the context (logged; a denial is recorded and answered).
std::expected<std::optional<model::OrgReach>, Status> widgetReach(const RequestContext& ctx,
                                                                 std::string_view widget,
                                                                 bool record) {
  const std::string_view action = app::homeWidgetAction(widget);
  if (action.empty()) return model::OrgReach::everything();
  const auto id = engine::findAction(action);
  if (!id) return std::optional<model::OrgReach>();
  const bool per_org = engine::actionInfo(*id).scope == engine::Scope::kOrg;
  const app::Authorization& authz = ctx.authorization();
  engine::Request er = authz.request(*id);
  er.any_organization = per_org;
  if (record) {
    if (auto ok = authz.require(er); !ok) return std::unexpected(ok.error());
  } else if (!authz.permits(er)) {
    return std::optional<model::OrgReach>();  // a widget the caller may not see: left out
  }
  if (!per_org) return model::OrgReach::everything();
  auto reach = orgReach(ctx, action);
  if (!reach) return std::unexpected(reach.error());
  return std::optional<model::OrgReach>(std::move(*reach));
}

json userItemJson(const model::HomeUserItem& u) {
  return json{{"id", u.id},
              {"organization", u.org_id},
              {"organizationName", u.org_name},
              {"username", u.username},
              {"email", u.email},
              {"firstname", u.firstname},
              {"lastname", u.lastname},
              {"state", u.state},
              {"account_locked", u.account_locked},
              {"locked_at", optTime(u.locked_at)},
              {"password_expired", u.password_expired},
              {"password_expiration_date", optTime(u.password_expiration_date)},
              {"scheduled_suspension_at", optTime(u.scheduled_suspension_at)},
              {"scheduled_activation_at", optTime(u.scheduled_activation_at)},
              {"sudo", u.sudo},
              {"passwordless_sudo", u.passwordless_sudo},
              {"samba_service_user", u.samba_service_user},
              {"password_set", u.password_set},
              {"created", app::formatRfc3339(u.created)}};
}

json deviceItemJson(const model::HomeDeviceItem& d) {
  return json{{"id", d.id},
              {"organization", d.org_id},
              {"organizationName", d.org_name},
              {"displayName", d.display_name},
              {"hostname", d.hostname},
              {"os", d.os},
              {"osFamily", d.os_family},
              {"version", d.version},
              {"active", d.active},
              {"lastContact", optTime(d.last_contact)},
              {"uptimeSeconds", d.uptime_seconds}};
}

json adminItemJson(const model::AdminRecord& a) {
  std::string name = a.firstname;
  if (!a.lastname.empty()) name += (name.empty() ? "" : " ") + a.lastname;
  return json{{"id", a.id},
              {"email", a.email},
              {"firstname", a.firstname},
              {"lastname", a.lastname},
              {"name", name},
              {"roleName", a.role_name},
              {"status", std::string(model::adminStatusText(a.status))},
              {"enableMultiFactor", a.enable_multi_factor},
              {"totpEnrolled", a.totp_enrolled}};
}

json reportJson(const model::ReportRecord& r) {
  return json{{"id", r.id},
              {"organization", r.org_id},
              {"organizationName", r.org_name},
              {"name", r.name},
              {"format", r.format},
              {"created", app::formatRfc3339(r.created)},
              {"readyAt", optTime(r.ready_at)}};
}

json detailResults(const app::HomeDetail& d) {
  json out = json::array();
  for (const auto& u : d.users) out.push_back(userItemJson(u));
  for (const auto& v : d.devices) out.push_back(deviceItemJson(v));
  for (const auto& a : d.admins) out.push_back(adminItemJson(a));
  for (const auto& m : d.mdm) {
    out.push_back(json{{"organization", m.item.org_id},
                       {"organizationName", m.item.org_name},
                       {"kind", m.item.kind},
                       {"expiresAt", app::formatRfc3339(m.item.expires_at)},
                       {"status", m.status}});
  }
  for (const auto& r : d.reports) out.push_back(reportJson(r));
  for (const auto& o : d.orgs) {
    out.push_back(json{{"id", o.id},
                       {"name", o.name},
                       {"userCount", o.user_count},
                       {"deviceCount", o.device_count}});
  }
  for (const auto& o : d.os_releases) {
    out.push_back(json{{"id", o.id},
                       {"osFamily", o.os_family},
                       {"version", o.version},
                       {"build", o.build},
                       {"releasedAt", app::formatRfc3339(o.released_at)}});
  }
  return out;
}

json settingsJson(const app::HomeSettings& s) {
  return json{{"widgets", s.widgets},
              {"upcomingPasswordExpirationDays", s.upcoming_password_expiration_days},
              {"longUptimeDays", s.long_uptime_days},
              {"scheduledDays", s.scheduled_days},
              {"version", s.version}};
}

// ---- handlers

HandlerResult counts(app::HomeService& svc, RequestContext& ctx) {
  if (!ctx.body().empty()) return std::unexpected(Status::invalidArgument("no body expected"));
  const app::Actor actor = actorOf(ctx);
  auto settings = svc.settings(actor);
  if (!settings) return fail(settings.error());
  std::vector<app::PermittedWidget> widgets;
  for (const std::string& id : app::homeWidgetIds()) {
    if (std::find(settings->widgets.begin(), settings->widgets.end(), id) ==
        settings->widgets.end()) {
      continue;
    }
    auto reach = widgetReach(ctx, id, false);
    if (!reach) return std::unexpected(reach.error());
    if (!*reach) continue;
    widgets.push_back({id, std::move(**reach)});
  }
  auto n = svc.counts(actor, widgets, *settings);
  if (!n) return fail(n.error());
  json out = json::array();
  for (const auto& w : *n) out.push_back(json{{"id", w.id}, {"count", w.count}});
  json body = json::object();
  body["widgets"] = std::move(out);
  return Response::json(body);
}

HandlerResult detail(app::HomeService& svc, RequestContext& ctx) {
  const std::string id(ctx.param("id"));
  if (!app::isHomeWidget(id)) return std::unexpected(Status::notFound());
  static const http::ListSpec spec{{}, {}, {"format"}};
  auto q = http::parseListQuery(ctx.query(), spec);
  if (!q) return std::unexpected(q.error());
  if (!q->sort.empty() || !q->filters.empty()) {
    return std::unexpected(Status::invalidArgument("a widget's list takes no sort or filter"));
  }
  std::optional<std::string> format;
  if (auto f = ctx.queryParam("format")) {
    if (id != "reports_ready") {
      return std::unexpected(Status::invalidArgument("format is only for reports_ready"));
    }
    if (*f != "csv" && *f != "json") {
      return std::unexpected(Status::invalidArgument("format must be csv or json"));
    }
    format = std::string(*f);
  }
  auto reach = widgetReach(ctx, id, true);
  if (!reach) return std::unexpected(reach.error());
  if (!*reach) return std::unexpected(Status::notFound());
  const app::Actor actor = actorOf(ctx);
  auto settings = svc.settings(actor);
  if (!settings) return fail(settings.error());
  const int skip = format ? 0 : static_cast<int>(std::min<std::int64_t>(q->skip, INT32_MAX));
  auto page = svc.detail(actor, {id, std::move(**reach)}, *settings, format ? 0 : q->limit, skip);
  if (!page) return fail(page.error());
  if (format == "csv") {
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = app::reportsCsv(page->reports);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"reports.csv\"");
    return r;
  }
  Response r = Response::json(
      {{"results", detailResults(*page)}, {"totalCount", page->total_count}});
  if (format == "json") {
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"reports.json\"");
  }
  return r;
}

HandlerResult requireMfa(app::HomeService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"admins"});
  if (!body) return std::unexpected(body.error());
  auto ids = body->optionalStringArray("admins");
  if (!ids) return std::unexpected(ids.error());
  if (!*ids || (*ids)->empty()) return std::unexpected(Status::invalidArgument("admins is required"));
  if ((*ids)->size() > kMaxBulkAdmins) {
    return std::unexpected(Status::invalidArgument("at most 100 admins per request"));
  }
  auto results = svc.requireMfa(actorOf(ctx), **ids, ctx.authorization());
  json out = json::array();
  for (const auto& r : results) {
    out.push_back(bulkItem({{"id", r.id}}, r.error ? std::optional<Status>(*r.error) : std::nullopt,
                           BulkError::kMessage));
  }
  json answer = json::object();
  answer["results"] = std::move(out);
  return Response::json(answer);
}

HandlerResult getSettings(app::HomeService& svc, RequestContext& ctx) {
  auto s = svc.settings(actorOf(ctx));
  if (!s) return fail(s.error());
  return withEtag(Response::json(settingsJson(*s)), s->version);
}

HandlerResult putSettings(app::HomeService& svc, RequestContext& ctx) {
  // `version` as GET answered it may come back (a client sending the document it read) and is
  // ignored: the condition is If-Match.
  auto body = http::JsonBody::parse(
      ctx, {"widgets", "upcomingPasswordExpirationDays", "longUptimeDays", "scheduledDays", "version"});
  if (!body) return std::unexpected(body.error());
  const app::Actor actor = actorOf(ctx);
  app::HomeSettingsChanges in;
  auto widgets = body->optionalStringArray("widgets");
  if (!widgets) return std::unexpected(widgets.error());
  if (!*widgets) return std::unexpected(Status::invalidArgument("widgets is required"));
  in.widgets = **widgets;
  for (auto [name, target] :
       {std::pair{"upcomingPasswordExpirationDays", &in.upcoming_password_expiration_days},
        std::pair{"longUptimeDays", &in.long_uptime_days},
        std::pair{"scheduledDays", &in.scheduled_days}}) {
    auto v = body->optionalInt(name, app::kHomeMinDays, app::kHomeMaxDays);
    if (!v) return std::unexpected(v.error());
    if (*v) *target = static_cast<int>(**v);
  }
  auto saved = svc.saveSettings(actor, in, ifMatchOf(ctx));
  if (!saved) return fail(saved.error());
  return withEtag(Response::json(settingsJson(*saved)), saved->version);
}

json mdmJson(const app::OrgMdm& m) {
  return json{{"apnsCertificateExpiresAt", optTime(m.apns_certificate_expires_at)},
              {"vppTokenExpiresAt", optTime(m.vpp_token_expires_at)},
              {"adeTokenExpiresAt", optTime(m.ade_token_expires_at)},
              {"version", m.version}};
}

HandlerResult getMdm(app::HomeService& svc, RequestContext& ctx) {
  auto m = svc.getMdm(actorOf(ctx), ctx.organization());
  if (!m) return fail(m.error());
  return withEtag(Response::json(mdmJson(*m)), m->version);
}

HandlerResult putMdm(app::HomeService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(
      ctx, {"apnsCertificateExpiresAt", "vppTokenExpiresAt", "adeTokenExpiresAt"});
  if (!body) return std::unexpected(body.error());
  app::OrgMdm in;
  for (auto [name, target] :
       {std::pair{"apnsCertificateExpiresAt", &in.apns_certificate_expires_at},
        std::pair{"vppTokenExpiresAt", &in.vpp_token_expires_at},
        std::pair{"adeTokenExpiresAt", &in.ade_token_expires_at}}) {
    auto v = body->optionalString(name);
    if (!v) return std::unexpected(v.error());
    if (!*v) continue;
    auto t = engine::parseRfc3339(**v);
    if (!t) return std::unexpected(Status::invalidArgument(std::string(name) + " is not an RFC 3339 time"));
    *target = *t;
  }
  auto m = svc.putMdm(actorOf(ctx), ctx.organization(), in, ifMatchOf(ctx));
  if (!m) return fail(m.error());
  return withEtag(Response::json(mdmJson(*m)), m->version);
}

}  // namespace

void addHomeRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::HomeService>(app);
  const std::string home = "/api/v2/providers/{pid}/home";
  const std::string mdm = "/api/v2/providers/{pid}/organizations/{id}/mdm";
  // Each widget is asked for its own action (app::homeWidgetAction).
  const Access widgets = Access::action("home.read")
                             .mayAsk("users.read")
                             .mayAsk("devices.read")
                             .mayAsk("orgs.read")
                             .mayAsk("admins.read");
  out.push_back(Route{"GET", home, widgets, OrgSource::none(),
                      [svc](RequestContext& c) { return counts(*svc, c); }});
  out.push_back(Route{"GET", home + "/{id}", widgets, OrgSource::none(),
                      [svc](RequestContext& c) { return detail(*svc, c); }});
  out.push_back(Route{"POST", home + "/admins_without_mfa/actions", Access::action("admins.update"),
                      OrgSource::none(), [svc](RequestContext& c) { return requireMfa(*svc, c); }});
  out.push_back(Route{"GET", "/api/v2/me/home", Access::action("home.read"), OrgSource::none(),
                      [svc](RequestContext& c) { return getSettings(*svc, c); }});
  out.push_back(Route{"PUT", "/api/v2/me/home", Access::action("home.read"), OrgSource::none(),
                      [svc](RequestContext& c) { return putSettings(*svc, c); }});
  out.push_back(Route{"GET", mdm, Access::action("orgs.read"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return getMdm(*svc, c); }});
  out.push_back(Route{"PUT", mdm, Access::action("orgs.update"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return putMdm(*svc, c); }});
}

}  // namespace mtp::handlers
