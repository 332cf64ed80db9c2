// PSA integrations (issue 12 item 1; app/integration_service.h says what they hold). Reads
// need integrations.read, changes integrations.update; {kind} is connectwise or autotask.
//   GET    /api/v2/providers/{pid}/integrations                    both kinds and their state
//   PUT    /api/v2/providers/{pid}/integrations/{kind}             configure (credentials write-only)
//   DELETE /api/v2/providers/{pid}/integrations/{kind}             remove (204, also when none)
//   POST   /api/v2/providers/{pid}/integrations/{kind}/test        {ok, message}
//   GET    /api/v2/providers/{pid}/integrations/{kind}/mappings
//   PUT    /api/v2/providers/{pid}/integrations/{kind}/mappings    {mappings:[...]}; orgs in orgs.read reach
//   POST   /api/v2/providers/{pid}/integrations/{kind}/sync        202, the queued run
//   GET    /api/v2/providers/{pid}/integrations/{kind}/syncs       newest first (?limit=)
//   POST   /api/v2/providers/{pid}/integrations/requests           {kind: integration|beta, text}
// No response, event or log line holds a credential: the list shows `hasCredentials`.
// Versioned (issue 11): a configured integration shows `version` in the list; PUT answers
// `ETag: "<version>"`, GET/PUT .../mappings the integration's (the mappings are part of it:
// a new set raises it; "0" when not configured); PUT, DELETE and PUT .../mappings with a stale
// If-Match answer 412.
#include <nlohmann/json.hpp>

#include <memory>

#include "app/admin_text.h"
#include "app/integration_service.h"
#include "handlers/actor.h"
#include "handlers/etag.h"
#include "handlers/org_reach.h"
#include "handlers/routes.h"
#include "http/errors.h"
#include "http/json_body.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::string_view kBase = "/api/v2/providers/{pid}/integrations";

json timeOrNull(const std::optional<std::int64_t>& t) { return t ? json(app::formatRfc3339(*t)) : json(nullptr); }

json runJson(const app::SyncRun& r) {
  return {{"id", r.id},
          {"reason", r.reason},
          {"status", r.status},
          {"attempt", r.attempt},
          {"queuedAt", app::formatRfc3339(r.queued_at)},
          {"nextAttemptAt", app::formatRfc3339(r.next_attempt_at)},
          {"startedAt", timeOrNull(r.started)},
          {"finishedAt", timeOrNull(r.finished)},
          {"organizationsSynced", r.orgs_synced},
          {"message", r.message}};
}

json viewJson(const app::IntegrationView& v) {
  const bool cw = v.kind == "connectwise";
  json j{{"kind", v.kind},
         {"name", cw ? "ConnectWise Manage" : "Autotask"},
         {"configured", v.configured},
         {"hasCredentials", v.configured}};
  if (!v.configured) return j;
  const auto& r = v.record;
  j["siteUrl"] = r.site_url;
  if (cw) {
    j["companyId"] = r.company_id;
    j["clientId"] = r.integration_code;
    j["publicKey"] = r.username;
  } else {
    j["integrationCode"] = r.integration_code;
    j["userName"] = r.username;
  }
  j["enabled"] = r.enabled;
  j["pricePerUserCents"] = r.price_per_user_cents;
  j["ticketAlertKinds"] = v.ticket_alert_kinds;
  j["demo"] = r.demo;
  j["version"] = r.version;
  j["mappedOrganizations"] = v.mapped_organizations;
  j["lastSync"] = v.last_sync ? runJson(*v.last_sync) : json(nullptr);
  j["updated"] = app::formatRfc3339(r.updated);
  return j;
}

json mappingJson(const app::PsaMapping& m, const std::string& kind) {
  const bool cw = kind == "connectwise";
  return {{"organization", m.org_id},
          {"organizationName", m.org_name},
          {"psaCompanyId", m.psa_company_id},
          {"psaCompanyName", m.psa_company_name},
          {cw ? "agreementId" : "contractId", m.agreement_id},
          {cw ? "additionId" : "serviceId", m.service_id}};
}

std::string kindOf(RequestContext& ctx) { return std::string(ctx.param("kind")); }

HandlerResult list(app::IntegrationService& svc, RequestContext& ctx) {
  auto views = svc.list(actorOf(ctx));
  if (!views) return fail(views.error());
  json results = json::array();
  for (const auto& v : *views) results.push_back(viewJson(v));
  return Response::json({{"results", std::move(results)}, {"totalCount", views->size()}});
}

HandlerResult put(app::IntegrationService& svc, RequestContext& ctx) {
  const std::string kind = kindOf(ctx);
  const bool cw = kind == "connectwise";
  const std::string code = cw ? "clientId" : "integrationCode";
  const std::string user = cw ? "publicKey" : "userName";
  const std::string secret = cw ? "privateKey" : "secret";
  if (!app::isPsaKind(kind)) return std::unexpected(Status::notFound("unknown integration `" + kind + "`"));
  auto body = cw ? http::JsonBody::parse(ctx, {"siteUrl", "companyId", "clientId", "publicKey", "privateKey", "enabled",
                                               "pricePerUserCents", "ticketAlertKinds"})
                 : http::JsonBody::parse(ctx, {"siteUrl", "integrationCode", "userName", "secret", "enabled",
                                               "pricePerUserCents", "ticketAlertKinds"});
  if (!body) return std::unexpected(body.error());
  app::IntegrationInput in;
  auto site = body->requiredString("siteUrl");
  if (!site) return std::unexpected(site.error());
  in.site_url = *site;
  if (cw) {
    auto c = body->requiredString("companyId");
    if (!c) return std::unexpected(c.error());
    in.company_id = *c;
  }
  auto ic = body->requiredString(code);
  if (!ic) return std::unexpected(ic.error());
  in.integration_code = *ic;
  auto u = body->requiredString(user);
  if (!u) return std::unexpected(u.error());
  in.username = *u;
  auto s = body->optionalString(secret);
  if (!s) return std::unexpected(s.error());
  in.secret = *s;
  auto enabled = body->optionalBool("enabled");
  if (!enabled) return std::unexpected(enabled.error());
  in.enabled = enabled->value_or(true);
  auto price = body->optionalInt("pricePerUserCents", 0, 100'000'000);
  if (!price) return std::unexpected(price.error());
  in.price_per_user_cents = price->value_or(0);
  auto alerts = body->optionalStringArray("ticketAlertKinds");
  if (!alerts) return std::unexpected(alerts.error());
  in.ticket_alert_kinds = alerts->value_or(std::vector<std::string>{});
  auto v = svc.put(actorOf(ctx), kind, in, ifMatchOf(ctx));
  if (!v) return fail(v.error());
  return withEtag(Response::json(viewJson(*v)), v->record.version);
}

HandlerResult remove(app::IntegrationService& svc, RequestContext& ctx) {
  auto done = svc.remove(actorOf(ctx), kindOf(ctx), ifMatchOf(ctx));
  if (!done) return fail(done.error());
  return Response::noContent();
}

HandlerResult test(app::IntegrationService& svc, RequestContext& ctx) {
  auto t = svc.test(actorOf(ctx), kindOf(ctx));
  if (!t) return fail(t.error());
  return Response::json({{"ok", t->ok}, {"message", t->message}});
}

HandlerResult mappings(app::IntegrationService& svc, RequestContext& ctx) {
  const std::string kind = kindOf(ctx);
  auto m = svc.mappings(actorOf(ctx), kind);
  if (!m) return fail(m.error());
  json results = json::array();
  for (const auto& row : m->rows) results.push_back(mappingJson(row, kind));
  return withEtag(Response::json({{"results", std::move(results)}, {"totalCount", m->rows.size()}}), m->version);
}

// One mapping object of PUT .../mappings.
std::expected<app::PsaMapping, Status> parseMapping(const json& j, const std::string& kind) {
  const bool cw = kind == "connectwise";
  const std::string agreement = cw ? "agreementId" : "contractId";
  const std::string service = cw ? "additionId" : "serviceId";
  if (!j.is_object()) return std::unexpected(Status::invalidArgument("each mapping must be an object"));
  app::PsaMapping m;
  for (const auto& [k, v] : j.items()) {
    std::string* into = nullptr;
    if (k == "organization") into = &m.org_id;
    else if (k == "psaCompanyId") into = &m.psa_company_id;
    else if (k == "psaCompanyName") into = &m.psa_company_name;
    else if (k == agreement) into = &m.agreement_id;
    else if (k == service) into = &m.service_id;
    else return std::unexpected(Status::invalidArgument("unknown field `" + k + "` in a mapping"));
    // Ids may come as JSON numbers (both PSAs use integer ids).
    if (v.is_string()) *into = v.get<std::string>();
    else if (v.is_number_integer()) *into = std::to_string(v.get<long long>());
    else return std::unexpected(Status::invalidArgument("field `" + k + "` of a mapping must be a string"));
  }
  return m;
}

HandlerResult putMappings(app::IntegrationService& svc, RequestContext& ctx) {
  const std::string kind = kindOf(ctx);
  if (!app::isPsaKind(kind)) return std::unexpected(Status::notFound("unknown integration `" + kind + "`"));
  auto body = http::JsonBody::parse(ctx, {"mappings"});
  if (!body) return std::unexpected(body.error());
  const json& j = body->json();
  if (!j.contains("mappings") || !j["mappings"].is_array()) {
    return std::unexpected(Status::invalidArgument("field `mappings` must be an array"));
  }
  std::vector<app::PsaMapping> in;
  for (const auto& item : j["mappings"]) {
    auto m = parseMapping(item, kind);
    if (!m) return std::unexpected(m.error());
    in.push_back(std::move(*m));
  }
  auto reach = orgReach(ctx, "orgs.read");
  if (!reach) return std::unexpected(reach.error());
  auto m = svc.putMappings(actorOf(ctx), kind, in, *reach, ifMatchOf(ctx));
  if (!m) return fail(m.error());
  json results = json::array();
  for (const auto& row : m->rows) results.push_back(mappingJson(row, kind));
  return withEtag(Response::json({{"results", std::move(results)}, {"totalCount", m->rows.size()}}), m->version);
}

HandlerResult sync(app::IntegrationService& svc, RequestContext& ctx) {
  auto run = svc.queueSync(actorOf(ctx), kindOf(ctx));
  if (!run) return fail(run.error());
  return Response::json(runJson(*run), 202);
}

HandlerResult syncs(app::IntegrationService& svc, RequestContext& ctx) {
  int limit = 20;
  for (const auto& [k, v] : ctx.query()) {
    if (k != "limit") return std::unexpected(Status::invalidArgument("unknown parameter `" + k + "`"));
    try {
      std::size_t used = 0;
      limit = std::stoi(v, &used);
      if (used != v.size() || limit < 1 || limit > 100) throw std::out_of_range("limit");
    } catch (const std::exception&) {
      return std::unexpected(Status::invalidArgument("limit must be an integer from 1 to 100"));
    }
  }
  auto rows = svc.syncs(actorOf(ctx), kindOf(ctx), limit);
  if (!rows) return fail(rows.error());
  json results = json::array();
  for (const auto& r : *rows) results.push_back(runJson(r));
  return Response::json({{"results", std::move(results)}, {"totalCount", rows->size()}});
}

HandlerResult request(app::IntegrationService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"kind", "text"});
  if (!body) return std::unexpected(body.error());
  auto kind = body->requiredString("kind");
  if (!kind) return std::unexpected(kind.error());
  auto text = body->optionalString("text");
  if (!text) return std::unexpected(text.error());
  auto r = svc.request(actorOf(ctx), *kind, text->value_or(""));
  if (!r) return fail(r.error());
  return Response::json({{"id", r->id}, {"kind", r->kind}, {"text", r->text}, {"createdAt", app::formatRfc3339(r->created)}},
                        201);
}

}  // namespace

void addIntegrationRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  auto svc = std::make_shared<app::IntegrationService>(app);
  const std::string base(kBase);
  const std::string one = base + "/{kind}";
  auto read = http::Access::action("integrations.read");
  auto update = http::Access::action("integrations.update");
  auto route = [&](const char* method, const std::string& path, http::Access access,
                   HandlerResult (*fn)(app::IntegrationService&, RequestContext&)) {
    out.push_back(http::Route{method, path, std::move(access), http::OrgSource::none(),
                              [svc, fn](RequestContext& c) { return fn(*svc, c); }});
  };
  route("GET", base, read, list);
  route("POST", base + "/requests", update, request);
  route("PUT", one, update, put);
  route("DELETE", one, update, remove);
  route("POST", one + "/test", update, test);
  route("GET", one + "/mappings", read, mappings);
  route("PUT", one + "/mappings", update, putMappings);  // and the caller's orgs.read reach
  route("POST", one + "/sync", update, sync);
  route("GET", one + "/syncs", read, syncs);
}

}  // namespace mtp::handlers
