// The SAML/OIDC applications of an org (the org list's applicationCount):
//   GET    /api/v2/providers/{pid}/organizations/{id}/applications            orgs.read
//   POST   /api/v2/providers/{pid}/organizations/{id}/applications {name, type}  orgs.update → 201
//   DELETE /api/v2/providers/{pid}/organizations/{id}/applications/{appId}    orgs.update → 204
// Choices where the spec is silent: an application is configuration of the org, so changing
// it is orgs.update (as the org's settings), reading it orgs.read; `type` is saml or oidc.
#include <nlohmann/json.hpp>

#include <memory>

#include "app/admin_text.h"
#include "app/application_service.h"
#include "handlers/actor.h"
#include "handlers/list_support.h"
#include "handlers/routes.h"
#include "http/errors.h"
#include "http/json_body.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

json applicationJson(const app::Application& a) {
  return json{{"id", a.id},
              {"name", a.name},
              {"type", a.type},
              {"organization", a.org_id},
              {"created", app::formatRfc3339(a.created)}};
}

HandlerResult listApps(app::ApplicationService& svc, RequestContext& ctx) {
  auto apps = svc.list(actorOf(ctx), ctx.organization());
  if (!apps) return fail(apps.error());
  json results = json::array();
  for (const auto& a : *apps) results.push_back(applicationJson(a));
  const auto total = static_cast<std::int64_t>(apps->size());
  return Response::json({{"results", std::move(results)}, {"totalCount", total}});
}

HandlerResult createApp(app::ApplicationService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"name", "type"});
  if (!body) return std::unexpected(body.error());
  auto name = body->requiredString("name");
  if (!name) return std::unexpected(name.error());
  auto type = body->requiredString("type");
  if (!type) return std::unexpected(type.error());
  auto a = svc.create(actorOf(ctx), ctx.organization(), *name, *type);
  if (!a) return fail(a.error());
  return Response::json(applicationJson(*a), 201);
}

HandlerResult deleteApp(app::ApplicationService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto done = svc.remove(actorOf(ctx), ctx.organization(), std::string(ctx.param("appId")));
  if (!done) return fail(done.error());
  return Response::noContent();
}

}  // namespace

void addApplicationRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::ApplicationService>(app);
  const std::string apps = "/api/v2/providers/{pid}/organizations/{id}/applications";
  out.push_back(Route{"GET", apps, Access::action("orgs.read"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return listApps(*svc, c); }});
  out.push_back(Route{"POST", apps, Access::action("orgs.update"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return createApp(*svc, c); }});
  out.push_back(Route{"DELETE", apps + "/{appId}", Access::action("orgs.update"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return deleteApp(*svc, c); }});
}

}  // namespace mtp::handlers
