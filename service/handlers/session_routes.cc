// Session and self (spec/api.md, first table): sign-in, logout, one-time links, the profile,
// TOTP enrollment, password change, API keys. The use cases are app::SessionService.
#include <ctime>
#include <memory>

#include "app/admin_text.h"
#include "app/session_service.h"
#include "handlers/actor.h"
#include "http/errors.h"
#include "handlers/routes.h"
#include "http/json_body.h"

namespace mtp::handlers {
namespace {

using http::Access;
using http::HandlerResult;
using http::JsonBody;
using http::RequestContext;
using http::Response;
using nlohmann::json;

json adminSummary(const model::AdminRecord& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"firstname", a.firstname},
          {"lastname", a.lastname},
          {"provider", a.provider_id},
          {"roleName", a.role_name},
          {"status", std::string(model::adminStatusText(a.status))},
          {"enableMultiFactor", a.enable_multi_factor},
          {"totpEnrolled", a.totp_enrolled},
          {"apiKeyAllowed", a.api_key_allowed},
          {"allOrganizations", a.all_organizations}};
}

// The answer of a sign-in: `scope` tells the client whether the token reaches everything
// (`full`) or only TOTP enrollment (`mfa_enroll`).
json sessionJson(const app::IssuedSession& s) {
  return {{"token", s.token},
          {"tokenType", "Bearer"},
          {"expiresIn", s.expires_in},
          {"scope", std::string(auth::tokenScopeName(s.scope))},
          {"mfa", s.mfa},
          {"admin", adminSummary(s.admin)}};
}

Response sessionResponse(const app::IssuedSession& s) { return Response::json(sessionJson(s)); }

// Reads a required string field, or answers 400.
#define MTP_REQUIRED_STRING(var, body, name)            \
  auto var##_r = (body).requiredString(name);           \
  if (!var##_r) return std::unexpected(var##_r.error()); \
  std::string var = std::move(*var##_r)

HandlerResult login(app::SessionService& svc, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx, {"email", "password", "totp"});
  if (!body) return std::unexpected(body.error());
  MTP_REQUIRED_STRING(email, *body, "email");
  MTP_REQUIRED_STRING(password, *body, "password");
  auto totp = body->optionalString("totp");
  if (!totp) return std::unexpected(totp.error());
  auto s = svc.login(app::LoginInput{std::move(email), std::move(password), std::move(*totp),
                                     ctx.clientIp()});
  if (!s) return fail(s.error());
  return sessionResponse(*s);
}

HandlerResult logout(app::SessionService& svc, RequestContext& ctx) {
  if (auto r = svc.logout(actorOf(ctx)); !r) return fail(r.error());
  return Response::noContent();
}

HandlerResult me(app::SessionService& svc, RequestContext& ctx) {
  auto p = svc.profile(actorOf(ctx), ctx.authorization());
  if (!p) return fail(p.error());
  json orgs = json::array();
  for (const auto& g : p->grants) {
    json o = {{"id", g.org_id}};
    if (!g.role_name.empty()) o["roleName"] = g.role_name;
    if (g.expires_at) o["expiresAt"] = app::formatRfc3339(*g.expires_at);
    orgs.push_back(std::move(o));
  }
  const auto& a = p->admin;
  return Response::json({{"id", a.id},
                         {"email", a.email},
                         {"firstname", a.firstname},
                         {"lastname", a.lastname},
                         {"provider", a.provider_id},
                         {"roleName", a.role_name},
                         {"status", std::string(model::adminStatusText(a.status))},
                         {"enableMultiFactor", a.enable_multi_factor},
                         {"totpEnrolled", a.totp_enrolled},
                         {"apiKeyAllowed", a.api_key_allowed},
                         {"apiKeySet", a.api_key_set},
                         {"allOrganizations", a.all_organizations},
                         {"organizations", std::move(orgs)},
                         {"actions", p->actions}});
}

HandlerResult activate(app::SessionService& svc, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx, {"token", "password"});
  if (!body) return std::unexpected(body.error());
  MTP_REQUIRED_STRING(token, *body, "token");
  MTP_REQUIRED_STRING(password, *body, "password");
  if (auto r = svc.activate(token, password, ctx.clientIp()); !r) return fail(r.error());
  return Response::noContent();
}

HandlerResult passwordReset(app::SessionService& svc, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx, {"token", "password"});
  if (!body) return std::unexpected(body.error());
  MTP_REQUIRED_STRING(token, *body, "token");
  MTP_REQUIRED_STRING(password, *body, "password");
  if (auto r = svc.resetPassword(token, password, ctx.clientIp()); !r) return fail(r.error());
  return Response::noContent();
}

HandlerResult totpReset(app::SessionService& svc, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx, {"token"});
  if (!body) return std::unexpected(body.error());
  MTP_REQUIRED_STRING(token, *body, "token");
  if (auto r = svc.resetTotp(token, ctx.clientIp()); !r) return fail(r.error());
  return Response::noContent();
}

HandlerResult startTotp(app::SessionService& svc, RequestContext& ctx) {
  auto e = svc.startTotpEnrollment(actorOf(ctx));
  if (!e) return fail(e.error());
  return Response::json({{"secret", e->secret}, {"otpauthUri", e->otpauth_uri}}, 201);
}

HandlerResult confirmTotp(app::SessionService& svc, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx, {"totp"});
  if (!body) return std::unexpected(body.error());
  MTP_REQUIRED_STRING(code, *body, "totp");
  auto c = svc.confirmTotp(actorOf(ctx), code);
  if (!c) return fail(c.error());
  if (c->session) {
    json j = sessionJson(*c->session);
    j["totpEnrolled"] = true;
    return Response::json(j);
  }
  return Response::json({{"totpEnrolled", true}});
}

HandlerResult changePassword(app::SessionService& svc, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx, {"currentPassword", "newPassword"});
  if (!body) return std::unexpected(body.error());
  MTP_REQUIRED_STRING(current, *body, "currentPassword");
  MTP_REQUIRED_STRING(next, *body, "newPassword");
  auto s = svc.changePassword(actorOf(ctx), current, next);
  if (!s) return fail(s.error());
  if (*s) return sessionResponse(**s);
  return Response::noContent();
}

HandlerResult newApiKey(app::SessionService& svc, RequestContext& ctx) {
  auto k = svc.newApiKey(actorOf(ctx));
  if (!k) return fail(k.error());
  return Response::json({{"apiKey", *k}}, 201);
}

#undef MTP_REQUIRED_STRING

}  // namespace

void addSessionRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  auto svc = std::make_shared<app::SessionService>(app);
  auto bind = [svc](HandlerResult (*fn)(app::SessionService&, RequestContext&)) {
    return [svc, fn](RequestContext& ctx) { return fn(*svc, ctx); };
  };
  auto route = [&](std::string method, std::string pattern, Access access,
                   HandlerResult (*fn)(app::SessionService&, RequestContext&),
                   bool public_idempotency = false, bool answers_credential = false) {
    http::Route r;
    r.method = std::move(method);
    r.pattern = std::move(pattern);
    r.access = std::move(access);
    r.handler = bind(fn);
    r.max_body = 16 * 1024;  // credentials only
    r.public_idempotency = public_idempotency;
    r.answers_credential = answers_credential;
    out.push_back(std::move(r));
  };
  // Idempotency-Key (docs/consistency.md): the sign-in ignores it on purpose (an answer with a
  // session token is never stored, and every attempt must count); the one-time links accept
  // it, so a retry of a link whose answer was lost gets that answer, not "link already used".
  // The enrollment, its confirmation (a new session) and a new API key answer a credential:
  // they ignore the key too (Route::answers_credential).
  constexpr bool kIdempotent = true;
  constexpr bool kCredential = true;
  route("POST", "/api/v2/auth/login", Access::publicRoute(), &login);
  route("POST", "/api/v2/auth/logout", Access::action("self.logout"), &logout);
  route("POST", "/api/v2/auth/activate", Access::publicRoute(), &activate, kIdempotent);
  route("POST", "/api/v2/auth/password-reset", Access::publicRoute(), &passwordReset, kIdempotent);
  route("POST", "/api/v2/auth/totp-reset", Access::publicRoute(), &totpReset, kIdempotent);
  route("GET", "/api/v2/me", Access::action("self.read"), &me);
  route("POST", "/api/v2/me/totp", Access::action("self.mfa"), &startTotp, false, kCredential);
  route("POST", "/api/v2/me/totp/confirm", Access::action("self.mfa"), &confirmTotp, false, kCredential);
  route("PUT", "/api/v2/me/password", Access::action("self.password"), &changePassword);
  route("POST", "/api/v2/me/apikey", Access::action("self.apikey"), &newApiKey, false, kCredential);
}

}  // namespace mtp::handlers
