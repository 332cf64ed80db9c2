// Scheduled user access (JumpCloud's scheduled state changes, one per user and kind):
//   PUT    /api/systemusers/{id}/schedule/suspension {start_date}   users.suspend  (x-org-id)
//   DELETE /api/systemusers/{id}/schedule/suspension                users.suspend
//   PUT    /api/systemusers/{id}/schedule/activation {start_date}   users.activate
//   DELETE /api/systemusers/{id}/schedule/activation                users.activate
// Each answers the user (scheduled_suspension_date / scheduled_activation_date). `start_date`
// is an RFC 3339 time in the future; a suspension only for an ACTIVATED user, an activation
// only for a STAGED or SUSPENDED one (412 otherwise). mtpd's schedule job carries each out
// when due (app/user_schedule_service.h).
#include <memory>

#include "app/user_schedule_service.h"
#include "handlers/actor.h"
#include "handlers/list_support.h"
#include "handlers/routes.h"
#include "handlers/user_json.h"
#include "http/app_errors.h"
#include "http/json_body.h"
#include "mtp/engine/request.h"

namespace mtp::handlers {

namespace {

using http::Error;
using http::HandlerResult;
using http::RequestContext;
using http::Response;

HandlerResult putSchedule(app::UserScheduleService& svc, RequestContext& ctx, app::ScheduledChange change) {
  auto body = http::JsonBody::parse(ctx, {"start_date"});
  if (!body) return std::unexpected(body.error());
  auto text = body->requiredString("start_date");
  if (!text) return std::unexpected(text.error());
  auto at = engine::parseRfc3339(*text);
  if (!at) return std::unexpected(Error::invalidArgument("field `start_date` must be an RFC 3339 time"));
  auto u = svc.set(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), change, *at);
  if (!u) return http::fail(u.error());
  return Response::json(userJson(*u));
}

HandlerResult clearSchedule(app::UserScheduleService& svc, RequestContext& ctx, app::ScheduledChange change) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto u = svc.set(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), change, std::nullopt);
  if (!u) return http::fail(u.error());
  return Response::json(userJson(*u));
}

}  // namespace

void addUserScheduleRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::UserScheduleService>(app);
  for (auto [path, action, change] :
       {std::tuple{"/api/systemusers/{id}/schedule/suspension", "users.suspend", app::ScheduledChange::kSuspension},
        std::tuple{"/api/systemusers/{id}/schedule/activation", "users.activate", app::ScheduledChange::kActivation}}) {
    const app::ScheduledChange c = change;
    out.push_back(Route{"PUT", path, Access::action(action), OrgSource::header("x-org-id"),
                        [svc, c](RequestContext& ctx) { return putSchedule(*svc, ctx, c); }});
    out.push_back(Route{"DELETE", path, Access::action(action), OrgSource::header("x-org-id"),
                        [svc, c](RequestContext& ctx) { return clearSchedule(*svc, ctx, c); }});
  }
}

}  // namespace mtp::handlers
