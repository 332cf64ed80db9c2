// The MSP's administrators: list/create/read/edit/delete, account actions (suspend, restore,
// password and TOTP reset emails), org access (organizationlinks) and explain. HTTP only:
// decode, call app::AdminService, encode. The route's action is decided by the pipeline;
// what the use case must still ask the engine (escalation with a Target, admins.enable_api)
// goes through the request's app::Authorization (ctx.authorization()), on the same snapshot, so
// it is logged and mapped like the pipeline's own decisions.
//
// Choices where the spec is silent:
// - PUT is partial: absent fields stay; `organizations` present replaces every grant.
// - An admin cannot delete or suspend their own account: 400 invalid_argument.
// - suspend of a suspended admin, restore of one that is not: 409 conflict.
// - password-reset of a pending admin sends a fresh activation email instead.
// - totp-reset takes an optional body {clear?, sendEmail?} (defaults false, true): by default
//   only the reset link is emailed; `clear: true` also forgets the TOTP secret at once.
// - organizationlinks changes are `admin_update` events (JumpCloud's type) with the org in
//   the event's `organization` and one change {field: "organizations", from, to}.
// - An org id in a body that is not the provider's answers 400 (as an unknown one).
// - explain assumes a session with MFA verified, now, and no client IP, unless the query
//   says `mfa=false` or `authMethod=api_key`; the answer repeats its assumptions.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "app/admin_service.h"
#include "app/admin_text.h"
#include "handlers/actor.h"
#include "http/errors.h"
#include "handlers/etag.h"
#include "handlers/list_support.h"
#include "handlers/routes.h"
#include "http/json_body.h"
#include "http/query.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::string_view kAdmins = "/api/v2/providers/{pid}/administrators";
constexpr std::string_view kLinks = "/api/v2/administrators/{id}/organizationlinks";

json grantJson(const model::GrantRecord& g) {
  json j = {{"organization", g.org_id}};
  if (!g.role_name.empty()) j["roleName"] = g.role_name;
  if (g.expires_at) j["expiresAt"] = app::formatRfc3339(*g.expires_at);
  return j;
}

json adminJson(const model::AdminRecord& a) {
  return json{{"id", a.id},
              {"email", a.email},
              {"firstname", a.firstname},
              {"lastname", a.lastname},
              {"roleName", a.role_name},
              {"status", std::string(model::adminStatusText(a.status))},
              {"apiKeyAllowed", a.api_key_allowed},
              {"apiKeySet", a.api_key_set},
              {"apiKeyPrefix", a.api_key_prefix ? json(*a.api_key_prefix) : json(nullptr)},
              {"apiKeyCreated",
               a.api_key_created ? json(app::formatRfc3339(*a.api_key_created)) : json(nullptr)},
              {"enableMultiFactor", a.enable_multi_factor},
              {"totpEnrolled", a.totp_enrolled},
              {"allOrganizations", a.all_organizations},
              {"organizationAccessTotal", a.organization_access_total},
              {"created", app::formatRfc3339(a.created)},
              {"version", a.version}};
}

json detailsJson(const app::AdminDetails& d, std::int64_t now) {
  json j = adminJson(d.admin);
  j["updated"] = app::formatRfc3339(d.admin.updated);
  j["lockedOut"] = d.admin.locked_until.has_value() && *d.admin.locked_until > now;
  json orgs = json::array();
  for (const auto& g : d.grants) orgs.push_back(grantJson(g));
  j["organizations"] = std::move(orgs);
  return j;
}

// One grant object: {organization, roleName?, expiresAt?}; unknown keys are refused.
std::expected<app::GrantInput, Status> parseGrant(const json& v, std::string_view where) {
  const std::string w(where);
  if (!v.is_object()) return std::unexpected(Status::invalidArgument(w + " must be an object"));
  app::GrantInput g;
  for (const auto& [key, value] : v.items()) {
    if (key == "organization") {
      if (!value.is_string()) return std::unexpected(Status::invalidArgument(w + ".organization must be a string"));
      g.organization = value.get<std::string>();
    } else if (key == "roleName") {
      if (value.is_null()) continue;
      if (!value.is_string()) return std::unexpected(Status::invalidArgument(w + ".roleName must be a string"));
      g.role = value.get<std::string>();
    } else if (key == "expiresAt") {
      if (value.is_null()) continue;
      if (!value.is_string()) return std::unexpected(Status::invalidArgument(w + ".expiresAt must be an RFC 3339 time"));
      auto t = engine::parseRfc3339(value.get<std::string>());
      if (!t) return std::unexpected(Status::invalidArgument(w + ".expiresAt must be an RFC 3339 time"));
      g.expires_at = *t;
    } else {
      return std::unexpected(Status::invalidArgument("unknown field `" + key + "` in " + w));
    }
  }
  if (g.organization.empty()) return std::unexpected(Status::invalidArgument(w + ".organization is required"));
  return g;
}

std::expected<std::optional<std::vector<app::GrantInput>>, Status> parseGrants(const http::JsonBody& body) {
  const json& j = body.json();
  auto it = j.find("organizations");
  if (it == j.end() || it->is_null()) return std::optional<std::vector<app::GrantInput>>();
  if (!it->is_array()) return std::unexpected(Status::invalidArgument("field `organizations` must be an array"));
  std::vector<app::GrantInput> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    auto g = parseGrant((*it)[i], "organizations[" + std::to_string(i) + "]");
    if (!g) return std::unexpected(g.error());
    out.push_back(std::move(*g));
  }
  return std::optional<std::vector<app::GrantInput>>(std::move(out));
}

const http::ListSpec& adminListSpec() {
  static const http::ListSpec spec = [] {
    const std::vector<std::string> fields = {"id",           "email",         "firstname",
                                             "lastname",     "roleName",      "status",
                                             "enableMultiFactor", "apiKeyAllowed", "allOrganizations",
                                             "totpEnrolled", "created",       "updated"};
    return http::ListSpec{fields, fields, {}};
  }();
  return spec;
}

// ---- handlers

HandlerResult listAdmins(app::AdminService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), adminListSpec());
  if (!q) return std::unexpected(q.error());
  auto page = svc.list(actorOf(ctx), toStoreQuery(*q, "email"));
  if (!page) return fail(page.error());
  json results = json::array();
  for (const auto& a : page->results) results.push_back(adminJson(a));
  return Response::json({{"results", std::move(results)}, {"totalCount", page->total_count}});
}

HandlerResult createAdmin(app::AdminService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"email", "firstname", "lastname", "roleName", "enableMultiFactor",
                                          "apiKeyAllowed", "allOrganizations", "organizations", "password"});
  if (!body) return std::unexpected(body.error());
  app::NewAdmin in;
  auto email = body->requiredString("email");
  if (!email) return std::unexpected(email.error());
  in.email = std::move(*email);
  auto role = body->requiredString("roleName");
  if (!role) return std::unexpected(role.error());
  in.role_name = std::move(*role);
  auto first = body->optionalString("firstname");
  if (!first) return std::unexpected(first.error());
  in.firstname = first->value_or("");
  auto last = body->optionalString("lastname");
  if (!last) return std::unexpected(last.error());
  in.lastname = last->value_or("");
  for (auto [name, dest] : {std::pair<std::string_view, bool*>{"enableMultiFactor", &in.enable_multi_factor},
                            {"apiKeyAllowed", &in.api_key_allowed},
                            {"allOrganizations", &in.all_organizations}}) {
    auto b = body->optionalBool(name);
    if (!b) return std::unexpected(b.error());
    *dest = b->value_or(false);
  }
  auto grants = parseGrants(*body);
  if (!grants) return std::unexpected(grants.error());
  in.organizations = grants->value_or(std::vector<app::GrantInput>{});
  auto password = body->optionalString("password");
  if (!password) return std::unexpected(password.error());
  in.password = std::move(*password);

  auto made = svc.create(actorOf(ctx), in, ctx.authorization());
  if (!made) return fail(made.error());
  return created(Response::json(detailsJson(*made, ctx.now()), 201),
                 "/api/v2/providers/" + std::string(ctx.param("pid")) + "/administrators/" + made->admin.id,
                 made->admin.version);
}

HandlerResult getAdmin(app::AdminService& svc, RequestContext& ctx) {
  auto d = svc.get(actorOf(ctx), std::string(ctx.param("id")));
  if (!d) return fail(d.error());
  return withEtag(Response::json(detailsJson(*d, ctx.now())), d->admin.version);
}

HandlerResult updateAdmin(app::AdminService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"email", "firstname", "lastname", "roleName", "enableMultiFactor",
                                          "apiKeyAllowed", "allOrganizations", "organizations"});
  if (!body) return std::unexpected(body.error());
  app::AdminChanges ch;
  for (auto [name, dest] : {std::pair<std::string_view, std::optional<std::string>*>{"email", &ch.email},
                            {"firstname", &ch.firstname},
                            {"lastname", &ch.lastname},
                            {"roleName", &ch.role_name}}) {
    auto s = body->optionalString(name);
    if (!s) return std::unexpected(s.error());
    *dest = std::move(*s);
  }
  for (auto [name, dest] :
       {std::pair<std::string_view, std::optional<bool>*>{"enableMultiFactor", &ch.enable_multi_factor},
        {"apiKeyAllowed", &ch.api_key_allowed},
        {"allOrganizations", &ch.all_organizations}}) {
    auto b = body->optionalBool(name);
    if (!b) return std::unexpected(b.error());
    *dest = *b;
  }
  auto grants = parseGrants(*body);
  if (!grants) return std::unexpected(grants.error());
  ch.organizations = std::move(*grants);

  auto d = svc.update(actorOf(ctx), std::string(ctx.param("id")), ch, ctx.authorization(), ifMatchOf(ctx));
  if (!d) return fail(d.error());
  return withEtag(Response::json(detailsJson(*d, ctx.now())), d->admin.version);
}

HandlerResult deleteAdmin(app::AdminService& svc, RequestContext& ctx) {
  if (auto r = svc.remove(actorOf(ctx), std::string(ctx.param("id")), ctx.authorization(), ifMatchOf(ctx)); !r)
    return fail(r.error());
  return Response::noContent();
}

HandlerResult suspendAdmin(app::AdminService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto d = svc.suspend(actorOf(ctx), std::string(ctx.param("id")), ctx.authorization());
  if (!d) return fail(d.error());
  return Response::json(detailsJson(*d, ctx.now()));
}

HandlerResult restoreAdmin(app::AdminService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto d = svc.restore(actorOf(ctx), std::string(ctx.param("id")), ctx.authorization());
  if (!d) return fail(d.error());
  return Response::json(detailsJson(*d, ctx.now()));
}

HandlerResult passwordReset(app::AdminService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  if (auto r = svc.sendPasswordReset(actorOf(ctx), std::string(ctx.param("id")), ctx.authorization()); !r) return fail(r.error());
  return Response::noContent();
}

HandlerResult totpReset(app::AdminService& svc, RequestContext& ctx) {
  // Default: only the email; the admin proves the mailbox before the TOTP is cleared
  // (POST /api/v2/auth/totp-reset). `clear` forgets it at once.
  bool clear = false, send_email = true;
  if (!ctx.body().empty()) {
    auto body = http::JsonBody::parse(ctx, {"clear", "sendEmail"});
    if (!body) return std::unexpected(body.error());
    auto c = body->optionalBool("clear");
    if (!c) return std::unexpected(c.error());
    auto s = body->optionalBool("sendEmail");
    if (!s) return std::unexpected(s.error());
    clear = c->value_or(false);
    send_email = s->value_or(true);
  }
  if (auto r = svc.resetTotp(actorOf(ctx), std::string(ctx.param("id")), clear, send_email, ctx.authorization()); !r)
    return fail(r.error());
  return Response::noContent();
}

HandlerResult listLinks(app::AdminService& svc, RequestContext& ctx) {
  auto grants = svc.listGrants(actorOf(ctx), std::string(ctx.param("id")));
  if (!grants) return fail(grants.error());
  json results = json::array();
  for (const auto& g : *grants) results.push_back(grantJson(g));
  return Response::json({{"results", std::move(results)}, {"totalCount", grants->size()}});
}

HandlerResult addLink(app::AdminService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"organization", "roleName", "expiresAt"});
  if (!body) return std::unexpected(body.error());
  auto g = parseGrant(body->json(), "body");
  if (!g) return std::unexpected(g.error());
  auto out = svc.putGrant(actorOf(ctx), std::string(ctx.param("id")), *g, ctx.authorization());
  if (!out) return fail(out.error());
  return Response::json(grantJson(out->grant), out->created ? 201 : 200);
}

HandlerResult removeLink(app::AdminService& svc, RequestContext& ctx) {
  auto r = svc.deleteGrant(actorOf(ctx), std::string(ctx.param("id")), std::string(ctx.param("orgId")),
                           ctx.authorization());
  if (!r) return fail(r.error());
  return Response::noContent();
}

// DELETE /api/v2/organizations/{id}/administratorlinks/{adminId}: the org's view of the same
// removal (an allOrganizations admin keeps every other org as a grant).
HandlerResult removeOrgLink(app::AdminService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto r = svc.deleteGrant(actorOf(ctx), std::string(ctx.param("adminId")), std::string(ctx.param("id")),
                           ctx.authorization());
  if (!r) return fail(r.error());
  return Response::noContent();
}

HandlerResult explainAdmin(app::AdminService& svc, RequestContext& ctx) {
  app::ExplainQuery q;
  if (auto a = ctx.queryParam("action")) q.action = std::string(*a);
  if (q.action.empty()) return std::unexpected(Status::invalidArgument("query parameter `action` is required"));
  if (auto o = ctx.queryParam("organization")) q.organization = std::string(*o);
  if (auto m = ctx.queryParam("mfa")) {
    if (*m == "true") q.mfa = true;
    else if (*m == "false") q.mfa = false;
    else return std::unexpected(Status::invalidArgument("query parameter `mfa` must be true or false"));
  }
  if (auto m = ctx.queryParam("authMethod")) {
    if (*m == "session") q.auth_method = engine::AuthMethod::kSession;
    else if (*m == "api_key") q.auth_method = engine::AuthMethod::kApiKey;
    else return std::unexpected(Status::invalidArgument("query parameter `authMethod` must be session or api_key"));
  }
  auto e = svc.explain(actorOf(ctx), std::string(ctx.param("id")), q, ctx.authorization());
  if (!e) return fail(e.error());
  json trace = json::array();
  for (const auto& s : e->trace) {
    trace.push_back({{"check", s.check}, {"subject", s.subject}, {"passed", s.passed}, {"detail", s.detail}});
  }
  json assumptions = {
      {"authMethod", e->assumed.auth_method == engine::AuthMethod::kApiKey ? "api_key" : "session"},
      {"mfa", e->assumed.mfa},
      {"clientIp", nullptr},
      {"time", app::formatRfc3339(e->time)}};
  return Response::json({{"allowed", e->allowed},
                         {"reason", e->reason},
                         {"decidedBy", e->decided_by},
                         {"action", e->assumed.action},
                         {"organization", e->assumed.organization.empty() ? json(nullptr) : json(e->assumed.organization)},
                         {"trace", std::move(trace)},
                         {"assumptions", std::move(assumptions)}});
}

}  // namespace

void addAdministratorRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  auto svc = std::make_shared<app::AdminService>(app);
  auto bind = [svc](HandlerResult (*fn)(app::AdminService&, RequestContext&)) {
    return [svc, fn](RequestContext& ctx) { return fn(*svc, ctx); };
  };
  auto route = [&](std::string method, std::string pattern, std::string action,
                   HandlerResult (*fn)(app::AdminService&, RequestContext&)) {
    http::Route r;
    r.method = std::move(method);
    r.pattern = std::move(pattern);
    // Creating or editing an admin may turn on their API access: admins.enable_api too.
    const bool may_enable_api = action == "admins.create" || action == "admins.update";
    r.access = http::Access::action(std::move(action));
    if (may_enable_api) r.access = r.access.mayAsk("admins.enable_api");
    r.org = http::OrgSource::none();
    r.handler = bind(fn);
    out.push_back(std::move(r));
  };
  const std::string admins(kAdmins), one = std::string(kAdmins) + "/{id}", links(kLinks);
  route("GET", admins, "admins.read", listAdmins);
  route("POST", admins, "admins.create", createAdmin);
  route("GET", one, "admins.read", getAdmin);
  route("PUT", one, "admins.update", updateAdmin);
  route("DELETE", one, "admins.delete", deleteAdmin);
  route("POST", one + "/suspend", "admins.suspend", suspendAdmin);
  route("POST", one + "/restore", "admins.restore", restoreAdmin);
  route("POST", one + "/password-reset", "admins.reset_password", passwordReset);
  route("POST", one + "/totp-reset", "admins.reset_mfa", totpReset);
  route("GET", links, "admins.read", listLinks);
  route("POST", links, "admins.grant_access", addLink);
  route("DELETE", links + "/{orgId}", "admins.grant_access", removeLink);
  route("DELETE", "/api/v2/organizations/{id}/administratorlinks/{adminId}", "admins.grant_access",
        removeOrgLink);
  route("GET", "/api/v2/administrators/{id}/explain", "admins.read", explainAdmin);
}

}  // namespace mtp::handlers
