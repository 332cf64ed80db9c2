// The users of managed orgs (JumpCloud's systemusers shapes).
//   GET    /api/v2/providers/{pid}/users                   users.read  (reach list)
//   POST   /api/v2/providers/{pid}/users/actions           users.read  (reach) + each user's own action
//   GET    /api/systemusers                                users.read    (x-org-id)
//   POST   /api/systemusers                                users.create  (x-org-id) → 201
//   GET    /api/systemusers/{id}                           users.read    (x-org-id)
//   PUT    /api/systemusers/{id}                           users.update  (x-org-id)
//   DELETE /api/systemusers/{id}                           users.delete  (x-org-id) → 204
//   POST   /api/systemusers/{id}/unlock                    users.unlock
//   POST   /api/systemusers/{id}/expire                    users.reset_password (force reset)
//   POST   /api/systemusers/{id}/resetmfa                  users.reset_mfa (TOTP enrollment cleared)
//   POST   /api/systemusers/{id}/state/activate            users.activate
//   PUT/DELETE /api/systemusers/{id}/schedule/suspension    users.suspend  {start_date} / clear
//   PUT/DELETE /api/systemusers/{id}/schedule/activation    users.activate {start_date} / clear
//     (JumpCloud's scheduled state changes, one per user and kind: start_date RFC 3339 in the
//     future; a suspension only for an ACTIVATED user, an activation only for a STAGED or
//     SUSPENDED one, else 412; mtpd's schedule job carries each out when due)
//
// Bulk actions: the route's users.read (any org reached) lets the request in; then EACH user
// is authorized on its own with the engine (unlock → users.unlock, suspend → users.suspend,
// force_password_reset → users.reset_password, resend_activation → users.update, reset_mfa →
// users.reset_mfa) for that
// user's org, and runs in its own transaction with its own event. An org outside the caller's
// reach, of another provider or unknown, and a missing user all answer 404 for that item;
// nothing is written for it. The answer is 200 with one HTTP-like status per item.
// Choices where the spec is silent:
// - filters use the JumpCloud field names (filter=state:eq:SUSPENDED, account_locked:eq:true,
//   password_expired, totp_enabled, organization); the default sort is username.
// - PUT is partial; state changes only through the actions (suspend via bulk, activate route).
// - at most 100 users per bulk request.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <tuple>

#include "app/activity_service.h"
#include "app/user_schedule_service.h"
#include "app/user_service.h"
#include "handlers/actor.h"
#include "http/errors.h"
#include "handlers/bulk_results.h"
#include "handlers/etag.h"
#include "handlers/list_support.h"
#include "handlers/org_reach.h"
#include "handlers/routes.h"
#include "http/json_body.h"
#include "http/query.h"
#include "mtp/engine/action.h"
#include "mtp/engine/request.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxBulkUsers = 100;

json userJson(const model::SystemUserRecord& u) {
  return json{{"id", u.id},
              {"_id", u.id},
              {"username", u.username},
              {"email", u.email},
              {"firstname", u.firstname},
              {"lastname", u.lastname},
              {"state", std::string(model::userStateText(u.state))},
              {"activated", u.state == model::UserState::kActivated},
              {"suspended", u.state == model::UserState::kSuspended},
              {"account_locked", u.account_locked},
              {"password_expired", u.password_expired},
              {"password_expiration_date", optTime(u.password_expiration_date)},
              {"totp_enabled", u.totp_enabled},
              {"sudo", u.sudo},
              {"passwordless_sudo", u.passwordless_sudo},
              {"samba_service_user", u.samba_service_user},
              {"scheduled_suspension_date", optTime(u.scheduled_suspension_at)},
              {"scheduled_activation_date", optTime(u.scheduled_activation_at)},
              {"created", app::formatRfc3339(u.created)},
              {"organization", u.org_id},
              {"version", u.version}};
}

const http::ListSpec& userListSpec() {
  static const http::ListSpec spec{
      {"username", "email", "firstname", "lastname", "state", "organization", "account_locked",
       "password_expired", "password_expiration_date", "totp_enabled", "created", "updated"},
      {"id", "username", "email", "firstname", "lastname", "state", "organization",
       "account_locked", "password_expired", "password_expiration_date", "totp_enabled", "sudo",
       "passwordless_sudo", "samba_service_user", "created", "updated"},
      {}};
  return spec;
}

HandlerResult listPage(app::UserService& svc, RequestContext& ctx, const model::OrgReach& reach) {
  auto q = http::parseListQuery(ctx.query(), userListSpec());
  if (!q) return std::unexpected(q.error());
  auto page = svc.list(actorOf(ctx), reach, toStoreQuery(*q, "username"));
  if (!page) return fail(page.error());
  json results = json::array();
  for (const auto& u : page->results) results.push_back(userJson(u));
  return Response::json({{"results", std::move(results)}, {"totalCount", page->total_count}});
}

// ---- handlers

HandlerResult listUsers(app::UserService& svc, RequestContext& ctx) {
  auto reach = orgReach(ctx, "users.read");
  if (!reach) return std::unexpected(reach.error());
  return listPage(svc, ctx, *reach);
}

HandlerResult listOrgUsers(app::UserService& svc, RequestContext& ctx) {
  return listPage(svc, ctx, model::OrgReach::only({ctx.organization()}));
}

HandlerResult createUser(app::UserService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"username", "email", "firstname", "lastname", "password",
                                          "activated", "state", "sudo", "passwordless_sudo",
                                          "samba_service_user"});
  if (!body) return std::unexpected(body.error());
  app::UserCreate in;
  auto username = body->requiredString("username");
  if (!username) return std::unexpected(username.error());
  in.username = *username;
  for (auto [field, target] : {std::pair{"email", &in.email}, std::pair{"firstname", &in.firstname},
                               std::pair{"lastname", &in.lastname}}) {
    auto v = body->optionalString(field);
    if (!v) return std::unexpected(v.error());
    *target = v->value_or("");
  }
  auto password = body->optionalString("password");
  if (!password) return std::unexpected(password.error());
  in.password = *password;
  // JumpCloud's default: a user created with a password is ACTIVATED, one without is STAGED
  // (with an activation email); `state` (or `activated`) given says otherwise.
  auto activated = body->optionalBool("activated");
  if (!activated) return std::unexpected(activated.error());
  in.activated = activated->value_or(in.password.has_value());
  auto state = body->optionalString("state");
  if (!state) return std::unexpected(state.error());
  if (*state) {
    if (**state != "ACTIVATED" && **state != "STAGED") {
      return std::unexpected(Status::invalidArgument("field `state` must be STAGED or ACTIVATED"));
    }
    if (*activated && **activated != (**state == "ACTIVATED")) {
      return std::unexpected(Status::invalidArgument("fields `state` and `activated` disagree"));
    }
    in.activated = **state == "ACTIVATED";
  }
  for (auto [field, target] : {std::pair{"sudo", &in.sudo},
                               std::pair{"passwordless_sudo", &in.passwordless_sudo},
                               std::pair{"samba_service_user", &in.samba_service_user}}) {
    auto v = body->optionalBool(field);
    if (!v) return std::unexpected(v.error());
    *target = v->value_or(false);
  }
  auto u = svc.create(actorOf(ctx), ctx.organization(), in);
  if (!u) return fail(u.error());
  return created(Response::json(userJson(*u), 201), "/api/systemusers/" + u->id, u->version);
}

HandlerResult getUser(app::UserService& svc, RequestContext& ctx) {
  auto u = svc.get(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")));
  if (!u) return fail(u.error());
  return withEtag(Response::json(userJson(*u)), u->version);
}

HandlerResult putUser(app::UserService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"username", "email", "firstname", "lastname", "sudo",
                                          "passwordless_sudo", "samba_service_user"});
  if (!body) return std::unexpected(body.error());
  app::UserChanges ch;
  for (auto [field, target] :
       {std::pair{"username", &ch.username}, std::pair{"email", &ch.email},
        std::pair{"firstname", &ch.firstname}, std::pair{"lastname", &ch.lastname}}) {
    auto v = body->optionalString(field);
    if (!v) return std::unexpected(v.error());
    *target = *v;
  }
  for (auto [field, target] : {std::pair{"sudo", &ch.sudo},
                               std::pair{"passwordless_sudo", &ch.passwordless_sudo},
                               std::pair{"samba_service_user", &ch.samba_service_user}}) {
    auto v = body->optionalBool(field);
    if (!v) return std::unexpected(v.error());
    *target = *v;
  }
  auto u = svc.update(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), ch, ifMatchOf(ctx));
  if (!u) return fail(u.error());
  return withEtag(Response::json(userJson(*u)), u->version);
}

HandlerResult deleteUser(app::UserService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto done = svc.remove(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), ifMatchOf(ctx));
  if (!done) return fail(done.error());
  return Response::noContent();
}

HandlerResult actOnUser(app::UserService& svc, RequestContext& ctx, app::UserAction action) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto u = svc.act(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), action);
  if (!u) return fail(u.error());
  return Response::json(userJson(*u));
}

HandlerResult putSchedule(app::UserScheduleService& svc, RequestContext& ctx, app::ScheduledChange change) {
  auto body = http::JsonBody::parse(ctx, {"start_date"});
  if (!body) return std::unexpected(body.error());
  auto text = body->requiredString("start_date");
  if (!text) return std::unexpected(text.error());
  auto at = engine::parseRfc3339(*text);
  if (!at) return std::unexpected(Status::invalidArgument("field `start_date` must be an RFC 3339 time"));
  auto u = svc.set(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), change, *at, ifMatchOf(ctx));
  if (!u) return fail(u.error());
  return withEtag(Response::json(userJson(*u)), u->version);
}

HandlerResult clearSchedule(app::UserScheduleService& svc, RequestContext& ctx, app::ScheduledChange change) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto u = svc.set(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), change, std::nullopt,
                   ifMatchOf(ctx));
  if (!u) return fail(u.error());
  return withEtag(Response::json(userJson(*u)), u->version);
}

struct BulkKind {
  std::string_view name;
  app::UserAction action;
  std::string_view engine_action;
};

constexpr BulkKind kBulkKinds[] = {
    {"unlock", app::UserAction::kUnlock, "users.unlock"},
    {"suspend", app::UserAction::kSuspend, "users.suspend"},
    {"force_password_reset", app::UserAction::kForcePasswordReset, "users.reset_password"},
    {"resend_activation", app::UserAction::kResendActivation, "users.update"},
    {"reset_mfa", app::UserAction::kResetMfa, "users.reset_mfa"},
};

HandlerResult bulkUsers(app::UserService& svc, RequestContext& ctx) {
  // The route's users.read was asked with no org; a caller whose roles hold it nowhere is
  // denied here, as the list does (each item is then authorized for its own action).
  auto reach = orgReach(ctx, "users.read");
  if (!reach) return std::unexpected(reach.error());
  auto body = http::JsonBody::parse(ctx, {"action", "users"});
  if (!body) return std::unexpected(body.error());
  auto name = body->requiredString("action");
  if (!name) return std::unexpected(name.error());
  const BulkKind* kind = nullptr;
  for (const auto& k : kBulkKinds) {
    if (k.name == *name) kind = &k;
  }
  if (kind == nullptr) {
    return std::unexpected(Status::invalidArgument(
        "field `action` must be unlock, suspend, force_password_reset, resend_activation or "
        "reset_mfa"));
  }
  const json& users = body->json().contains("users") ? body->json()["users"] : json();
  if (!users.is_array() || users.empty() || users.size() > kMaxBulkUsers) {
    return std::unexpected(
        Status::invalidArgument("field `users` must be an array of 1 to 100 {organization, id}"));
  }
  std::vector<std::pair<std::string, std::string>> items;
  for (const json& item : users) {
    if (!item.is_object() || item.size() != 2 || !item.contains("organization") ||
        !item.contains("id") || !item["organization"].is_string() || !item["id"].is_string()) {
      return std::unexpected(
          Status::invalidArgument("every entry of `users` must be exactly {organization, id}"));
    }
    items.emplace_back(item["organization"].get<std::string>(), item["id"].get<std::string>());
  }
  const engine::ActionId action = *engine::findAction(kind->engine_action);
  const app::Actor actor = actorOf(ctx);
  json results = json::array();
  for (const auto& [org, id] : items) {
    const json item{{"organization", org}, {"id", id}};
    if (auto ok = ctx.authorization().require(action, org); !ok) {
      results.push_back(bulkItem(item, ok.error()));
      continue;
    }
    auto done = svc.act(actor, org, id, kind->action);
    results.push_back(bulkItem(item, done ? std::nullopt : std::optional<Status>(done.error())));
  }
  return Response::json({{"results", std::move(results)}});
}

}  // namespace

void addUserRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::UserService>(app);
  const std::string users = "/api/v2/providers/{pid}/users";
  const std::string su = "/api/systemusers";
  const std::string one = "/api/systemusers/{id}";
  out.push_back(Route{"GET", users, Access::action("users.read"), OrgSource::reach(),
                      [svc](RequestContext& c) { return listUsers(*svc, c); }});
  Access bulk = Access::action("users.read");
  for (const auto& k : kBulkKinds) bulk = bulk.mayAsk(std::string(k.engine_action));
  out.push_back(Route{"POST", users + "/actions", bulk, OrgSource::reach(),
                      [svc](RequestContext& c) { return bulkUsers(*svc, c); }});
  out.push_back(Route{"GET", su, Access::action("users.read"), OrgSource::header("x-org-id"),
                      [svc](RequestContext& c) { return listOrgUsers(*svc, c); }});
  out.push_back(Route{"POST", su, Access::action("users.create"), OrgSource::header("x-org-id"),
                      [svc](RequestContext& c) { return createUser(*svc, c); }});
  out.push_back(Route{"GET", one, Access::action("users.read"), OrgSource::header("x-org-id"),
                      [svc](RequestContext& c) { return getUser(*svc, c); }});
  out.push_back(Route{"PUT", one, Access::action("users.update"), OrgSource::header("x-org-id"),
                      [svc](RequestContext& c) { return putUser(*svc, c); }});
  out.push_back(Route{"DELETE", one, Access::action("users.delete"), OrgSource::header("x-org-id"),
                      [svc](RequestContext& c) { return deleteUser(*svc, c); }});
  out.push_back(Route{"POST", one + "/unlock", Access::action("users.unlock"),
                      OrgSource::header("x-org-id"), [svc](RequestContext& c) {
                        return actOnUser(*svc, c, app::UserAction::kUnlock);
                      }});
  out.push_back(Route{"POST", one + "/expire", Access::action("users.reset_password"),
                      OrgSource::header("x-org-id"), [svc](RequestContext& c) {
                        return actOnUser(*svc, c, app::UserAction::kForcePasswordReset);
                      }});
  out.push_back(Route{"POST", one + "/resetmfa", Access::action("users.reset_mfa"),
                      OrgSource::header("x-org-id"), [svc](RequestContext& c) {
                        return actOnUser(*svc, c, app::UserAction::kResetMfa);
                      }});
  out.push_back(Route{"POST", one + "/state/activate", Access::action("users.activate"),
                      OrgSource::header("x-org-id"), [svc](RequestContext& c) {
                        return actOnUser(*svc, c, app::UserAction::kActivate);
                      }});
  auto schedules = std::make_shared<app::UserScheduleService>(app);
  for (auto [path, action, change] :
       {std::tuple{"/api/systemusers/{id}/schedule/suspension", "users.suspend", app::ScheduledChange::kSuspension},
        std::tuple{"/api/systemusers/{id}/schedule/activation", "users.activate", app::ScheduledChange::kActivation}}) {
    const app::ScheduledChange c = change;
    out.push_back(Route{"PUT", path, Access::action(action), OrgSource::header("x-org-id"),
                        [schedules, c](RequestContext& ctx) { return putSchedule(*schedules, ctx, c); }});
    out.push_back(Route{"DELETE", path, Access::action(action), OrgSource::header("x-org-id"),
                        [schedules, c](RequestContext& ctx) { return clearSchedule(*schedules, ctx, c); }});
  }
}

}  // namespace mtp::handlers
