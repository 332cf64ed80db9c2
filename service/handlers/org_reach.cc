#include "handlers/org_reach.h"

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
  ec.session_scope = r.session_scope;  // an org launch token: its one org at most
  ec.launch_org = r.launch_org;
  // Hold the snapshot while its views are copied out.
  const auto snapshot = app.authorizer().current();
  const engine::OrgReach reach = snapshot->orgsFor(p.admin_id, *id, ec);
  if (reach.all) return store::OrgReach::everything();
  std::vector<std::string> ids(reach.organizations.begin(), reach.organizations.end());
  return store::OrgReach::only(std::move(ids));
}

}  // namespace mtp::handlers
