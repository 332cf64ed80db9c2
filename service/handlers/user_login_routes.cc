// The user portal's sign-in and each org's password policy (app::UserLoginService).
//   POST /api/v1/users/login {organization, username, password}        Public
//        → 200 {id, username, email, firstname, lastname, organization, state,
//               password_expiration_date}
//   POST /api/v1/users/password {organization, username, password, newPassword}   Public
//        → 200 the user (as login); an expired or force-reset password is accepted here
//   POST /api/v1/users/activate {token, password}                      Public
//        → 200 the user, now ACTIVATED (the activation email's one-time link)
//   GET  /api/v2/providers/{pid}/organizations/{id}/password-policy    orgs.read   (org {id})
//   PUT  /api/v2/providers/{pid}/organizations/{id}/password-policy    orgs.update (org {id})
//        {lockoutAfterFailures?, passwordExpirationDays?} → the policy
//
// Sign-in answers (the spec's closed code set): an unknown org, an unknown user, a user
// without a password and a wrong password all answer 401 `unauthenticated` with one message;
// only after the right password: 412 `precondition_failed` "account locked: ...", "account not
// active" (STAGED or SUSPENDED) or "password expired: ..." (the user must set a new one). No
// session token is issued: this slice answers the user's public record (never the hash).
//
// The policy: lockoutAfterFailures 0..100 (0: never lock; default 5), passwordExpirationDays
// 0..3650 (0: never expires; default 0). PUT is partial (absent fields stay; null is absent),
// strict (unknown fields 400); a new passwordExpirationDays re-dates every password on file
// (set time + days; 0: none). An org of another provider, outside the caller's reach, or
// unknown answers 404 (the engine's checks on the path's org). GET and PUT answer
// `ETag: "<version>"` ("0" while the org has the defaults); a PUT with a stale If-Match 412.
#include <nlohmann/json.hpp>

#include <memory>

#include "app/activity_service.h"
#include "app/user_login_service.h"
#include "handlers/actor.h"
#include "handlers/etag.h"
#include "http/errors.h"
#include "handlers/routes.h"
#include "http/json_body.h"

namespace mtp::handlers {
namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::string_view kPolicy = "/api/v2/providers/{pid}/organizations/{id}/password-policy";

json userJson(const model::SystemUserRecord& u) {
  return json{{"id", u.id},
              {"username", u.username},
              {"email", u.email},
              {"firstname", u.firstname},
              {"lastname", u.lastname},
              {"organization", u.org_id},
              {"state", std::string(model::userStateText(u.state))},
              {"password_expiration_date", u.password_expiration_date
                                               ? json(app::formatRfc3339(*u.password_expiration_date))
                                               : json(nullptr)}};
}

json policyJson(const model::PasswordPolicyRecord& p) {
  return json{{"lockoutAfterFailures", p.lockout_after_failures},
              {"passwordExpirationDays", p.password_expiration_days},
              {"version", p.version}};
}

HandlerResult login(app::UserLoginService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"organization", "username", "password"});
  if (!body) return std::unexpected(body.error());
  app::UserLoginInput in;
  for (auto [name, out] : {std::pair{"organization", &in.organization},
                           std::pair{"username", &in.username}, std::pair{"password", &in.password}}) {
    auto v = body->requiredString(name);
    if (!v) return std::unexpected(v.error());
    *out = std::move(*v);
  }
  in.client_ip = ctx.clientIp();
  auto user = svc.login(in);
  if (!user) return fail(user.error());
  return Response::json(userJson(*user));
}

HandlerResult changePassword(app::UserLoginService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"organization", "username", "password", "newPassword"});
  if (!body) return std::unexpected(body.error());
  app::UserPasswordChangeInput in;
  for (auto [name, out] :
       {std::pair{"organization", &in.current.organization}, std::pair{"username", &in.current.username},
        std::pair{"password", &in.current.password}, std::pair{"newPassword", &in.new_password}}) {
    auto v = body->requiredString(name);
    if (!v) return std::unexpected(v.error());
    *out = std::move(*v);
  }
  in.current.client_ip = ctx.clientIp();
  auto user = svc.changePassword(in);
  if (!user) return fail(user.error());
  return Response::json(userJson(*user));
}

HandlerResult activate(app::UserLoginService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"token", "password"});
  if (!body) return std::unexpected(body.error());
  app::UserActivationInput in;
  for (auto [name, out] : {std::pair{"token", &in.token}, std::pair{"password", &in.password}}) {
    auto v = body->requiredString(name);
    if (!v) return std::unexpected(v.error());
    *out = std::move(*v);
  }
  in.client_ip = ctx.clientIp();
  auto user = svc.activate(in);
  if (!user) return fail(user.error());
  return Response::json(userJson(*user));
}

HandlerResult getPolicy(app::UserLoginService& svc, RequestContext& ctx) {
  auto p = svc.policy(actorOf(ctx), ctx.organization());
  if (!p) return fail(p.error());
  return withEtag(Response::json(policyJson(*p)), p->version);
}

HandlerResult putPolicy(app::UserLoginService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"lockoutAfterFailures", "passwordExpirationDays"});
  if (!body) return std::unexpected(body.error());
  app::PasswordPolicyChanges ch;
  auto lock = body->optionalInt("lockoutAfterFailures", 0,
                                app::UserLoginService::kMaxLockoutAfterFailures);
  if (!lock) return std::unexpected(lock.error());
  if (*lock) ch.lockout_after_failures = static_cast<int>(**lock);
  auto days = body->optionalInt("passwordExpirationDays", 0,
                                app::UserLoginService::kMaxPasswordExpirationDays);
  if (!days) return std::unexpected(days.error());
  if (*days) ch.password_expiration_days = static_cast<int>(**days);
  auto p = svc.putPolicy(actorOf(ctx), ctx.organization(), ch, ifMatchOf(ctx));
  if (!p) return fail(p.error());
  return withEtag(Response::json(policyJson(*p)), p->version);
}

}  // namespace

void addUserLoginRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::UserLoginService>(app);
  Route signin{"POST", "/api/v1/users/login", Access::publicRoute(), OrgSource::none(),
               [svc](RequestContext& c) { return login(*svc, c); }};
  signin.max_body = 16 * 1024;  // credentials only
  out.push_back(std::move(signin));
  Route change{"POST", "/api/v1/users/password", Access::publicRoute(), OrgSource::none(),
               [svc](RequestContext& c) { return changePassword(*svc, c); }};
  change.max_body = 16 * 1024;
  out.push_back(std::move(change));
  Route activation{"POST", "/api/v1/users/activate", Access::publicRoute(), OrgSource::none(),
                   [svc](RequestContext& c) { return activate(*svc, c); }};
  activation.max_body = 16 * 1024;
  // Idempotency-Key (docs/consistency.md): the activation link accepts it (a retry whose
  // answer was lost gets that answer); the sign-in and the password change ignore it on
  // purpose (each attempt is checked and counted).
  activation.public_idempotency = true;
  out.push_back(std::move(activation));
  const std::string policy(kPolicy);
  out.push_back(Route{"GET", policy, Access::action("orgs.read"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return getPolicy(*svc, c); }});
  out.push_back(Route{"PUT", policy, Access::action("orgs.update"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return putPolicy(*svc, c); }});
}

}  // namespace mtp::handlers
