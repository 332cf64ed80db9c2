// The tenant scope every store call takes, and the set of orgs a caller reaches (as the engine
// decided it) that list queries filter on in SQL. Plain values; safe to copy between threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mtp::model {

// The provider (MSP) on whose behalf a call runs. A call never reads or changes a row of
// another provider: every statement has `provider_id = :scope` in its WHERE clause.
struct TenantScope {
  std::string provider_id;
};

// Which organizations of the scope's provider a list may show: every one (an admin with
// allOrganizations, or a provider-wide action), or exactly the listed ids (possibly none).
struct OrgReach {
  bool all = true;
  std::vector<std::string> ids;  // used when !all

  static OrgReach everything() { return {}; }
  static OrgReach only(std::vector<std::string> ids) { return {false, std::move(ids)}; }
};

}  // namespace mtp::model
