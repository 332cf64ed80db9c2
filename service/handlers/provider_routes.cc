// The provider (MSP) object and its settings.
//   GET /api/v2/providers/{pid}           settings.read   {id, name, requireAdminMFA, created, updated}
//   PUT /api/v2/providers/{pid}/settings  settings.update {requireAdminMFA} → the provider
// Reading the provider is an action like any other (deny by default): settings.read, which
// every built-in role that sees settings holds (admin_billing, admin, manager, read_only).
// A {pid} of another provider or an unknown one: the engine says provider_mismatch → 404.
// A PUT that changes nothing writes nothing and logs no event. The provider's settings are
// versioned (issue 11): GET and PUT answer `ETag: "<version>"`, a PUT with a stale If-Match 412.
#include <nlohmann/json.hpp>

#include "app/activity_service.h"
#include "app/provider_service.h"
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

json providerJson(const model::ProviderRecord& p) {
  return json{{"id", p.id},
              {"name", p.name},
              {"requireAdminMFA", p.require_admin_mfa},
              {"created", app::formatRfc3339(p.created)},
              {"updated", app::formatRfc3339(p.updated)},
              {"version", p.version}};
}

HandlerResult getProvider(app::ProviderService& svc, RequestContext& ctx) {
  auto p = svc.get(actorOf(ctx));
  if (!p) return std::unexpected(p.error());
  return withEtag(Response::json(providerJson(*p)), p->version);
}

HandlerResult putSettings(app::ProviderService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"requireAdminMFA"});
  if (!body) return std::unexpected(body.error());
  auto mfa = body->requiredBool("requireAdminMFA");
  if (!mfa) return std::unexpected(mfa.error());
  auto p = svc.updateSettings(actorOf(ctx), app::ProviderSettings{*mfa}, ifMatchOf(ctx));
  if (!p) return std::unexpected(p.error());
  return withEtag(Response::json(providerJson(*p)), p->version);
}

}  // namespace

void addProviderRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  auto svc = std::make_shared<app::ProviderService>(app);
  out.push_back(http::Route{"GET", "/api/v2/providers/{pid}", http::Access::action("settings.read"),
                            http::OrgSource::none(),
                            [svc](RequestContext& ctx) { return getProvider(*svc, ctx); }});
  out.push_back(http::Route{"PUT", "/api/v2/providers/{pid}/settings",
                            http::Access::action("settings.update"), http::OrgSource::none(),
                            [svc](RequestContext& ctx) { return putSettings(*svc, ctx); }});
}

}  // namespace mtp::handlers
