#include "handlers/org_reach.h"

#include <string>
#include <vector>

#include "mtp/engine/action.h"

namespace mtp::handlers {

std::expected<model::OrgReach, Status> orgReach(const http::RequestContext& ctx,
                                                     std::string_view action) {
  const auto id = engine::findAction(action);
  if (!id || !ctx.authenticated()) return model::OrgReach::only({});
  // The request's own snapshot and context (an org launch token: its one org at most); the
  // views are copied out while the Authorization, and so its snapshot, is alive.
  const engine::OrgReach reach = ctx.authorization().orgReach(*id);
  if (reach.all) return model::OrgReach::everything();
  std::vector<std::string> ids(reach.organizations.begin(), reach.organizations.end());
  return model::OrgReach::only(std::move(ids));
}

}  // namespace mtp::handlers
