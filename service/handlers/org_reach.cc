#include "handlers/org_reach.h"

#include <algorithm>
#include <string>
#include <vector>

#include "mtp/engine/action.h"
#include "mtp/engine/authorizer.h"

namespace mtp::handlers {

std::expected<store::OrgReach, http::Error> orgReach(const http::RequestContext& ctx,
                                                     app::AppContext& app, std::string_view action) {
  const auto id = engine::findAction(action);
  if (!id || !ctx.authenticated()) return store::OrgReach::only({});
  const http::Principal& p = ctx.principal();
  const engine::Request r = ctx.engineRequest(*id, "");
  engine::RequestContext ec;
  ec.auth_method = r.auth_method;
  ec.mfa = r.mfa;
  ec.client_ip = r.client_ip;
  ec.time = r.time;
  // Hold the snapshot while its views are copied out.
  const auto snapshot = app.authorizer().current();
  const engine::OrgReach reach = snapshot->orgsFor(p.admin_id, *id, ec);
  if (p.scope == auth::TokenScope::kOrg) {
    const bool in = reach.all || std::find(reach.organizations.begin(), reach.organizations.end(),
                                           std::string_view(p.org)) != reach.organizations.end();
    return store::OrgReach::only(in ? std::vector<std::string>{p.org} : std::vector<std::string>{});
  }
  if (reach.all) return store::OrgReach::everything();
  std::vector<std::string> ids(reach.organizations.begin(), reach.organizations.end());
  return store::OrgReach::only(std::move(ids));
}

}  // namespace mtp::handlers
