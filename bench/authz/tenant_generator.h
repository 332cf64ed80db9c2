// A tenant-scale directory and request stream for the engine's benchmarks: 10,000 orgs,
// 10,000 admins over the eight built-in roles with about 20 org grants each, 5% with all
// orgs, 10% with a per-org role; 20 custom policies; 1,000,000 requests about half allowed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mtp/engine/authorizer.h"
#include "mtp/engine/policy_set.h"

namespace mtp::bench {

struct TenantScale {
  int orgs = 10000;
  int admins = 10000;
  int grants_per_admin = 20;
  double all_orgs_share = 0.05;
  double per_org_role_share = 0.10;
  int requests = 1000000;
  unsigned seed = 42;
};

// One request of the stream, compact (36 bytes) so that streaming a million of them does not
// flush the directory out of the caches; ids are inline, as they arrive in an HTTP request.
struct StreamEntry {
  char admin[15];
  std::uint8_t admin_len;
  char org[15];
  std::uint8_t org_len;
  engine::ActionId action;
  bool api_key;
  bool mfa;
  bool office_ip;
};

// The engine's view of a stream entry (what the service builds per HTTP request).
engine::Request toRequest(const StreamEntry& e);

struct TenantWorld {
  engine::DirectoryData directory;
  std::vector<StreamEntry> requests;
  std::string all_orgs_admin;              // an admin with allOrganizations
  std::string twenty_org_admin;            // an admin with 20 grants
};

// REQUIRES: the returned world is not copied or moved after creation (requests view it).
std::unique_ptr<TenantWorld> makeTenantWorld(const TenantScale& scale);

// The built-in roles (policies/builtin) and, if `with_policies`, 20 custom policies.
std::shared_ptr<const engine::PolicySet> benchPolicies(bool with_policies);

}  // namespace mtp::bench
