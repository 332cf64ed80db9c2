// The directory of one snapshot, indexed for the hot path: dense records, string ids mapped to
// indices once, roles resolved to RoleIds, grants found by one (admin, org) probe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "authorizer/flat_index.h"
#include "mtp/engine/directory.h"
#include "mtp/engine/policy_set.h"
#include "mtp/engine/result.h"

namespace mtp::engine::detail {

struct ProviderRec {
  std::string id;
  bool require_admin_mfa = false;
  std::uint32_t first_org = 0;  // orgs of a provider are contiguous
  std::uint32_t org_count = 0;
  std::vector<std::uint32_t> all_org_admins;  // admins with allOrganizations
};

// One cache line per org: what a decision reads (the provider) and the id it compares.
// Names and tags, read only by policies, live apart (DirectoryIndex::org_names, org_tags).
struct alignas(64) OrgRec {
  std::uint32_t provider = 0;
  std::string id;
};

struct GrantRec {
  std::uint32_t org = 0;
  RoleId role = kNoRole;  // kNoRole: the admin's default role
  bool expires = false;
  UnixTime expires_at = 0;
};

// One cache line per admin: what a decision reads and the id it compares. The email, read
// only by policies, lives apart (DirectoryIndex::admin_emails).
struct alignas(64) AdminRec {
  std::uint32_t provider = 0;
  RoleId role = kNoRole;
  AdminStatus status = AdminStatus::kActive;
  bool enable_multi_factor = false;
  bool api_key_allowed = false;
  bool all_organizations = false;
  std::uint32_t first_grant = 0;
  std::uint32_t grant_count = 0;
  std::string id;
};

struct DirectoryIndex {
  std::vector<ProviderRec> providers;
  std::vector<OrgRec> orgs;
  std::vector<std::string> org_names;               // by org index
  std::vector<std::vector<std::string>> org_tags;   // by org index
  std::vector<AdminRec> admins;
  std::vector<std::string> admin_emails;            // by admin index
  std::vector<GrantRec> grants;  // grants of an admin are contiguous, sorted by org
  std::vector<std::uint32_t> grant_orgs;  // grants[i].org, for a search that stays in cache
  StringIndex provider_by_id;
  StringIndex org_by_id;
  StringIndex admin_by_id;
  // Admins with an explicit grant on an org: org_admins[org_admin_offsets[o] ..
  // org_admin_offsets[o + 1]).
  std::vector<std::uint32_t> org_admin_offsets;
  std::vector<std::uint32_t> org_admins;

  static Result<std::unique_ptr<DirectoryIndex>> build(const PolicySet& policies,
                                                       const DirectoryData& data);
  std::size_t bytes() const;

  std::uint32_t findProvider(std::string_view id) const {
    return provider_by_id.find(id, [this](std::uint32_t i) -> std::string_view { return providers[i].id; });
  }
  std::uint32_t findOrg(std::string_view id) const {
    return org_by_id.find(id, [this](std::uint32_t i) -> std::string_view { return orgs[i].id; });
  }
  std::uint32_t findAdmin(std::string_view id) const {
    return admin_by_id.find(id, [this](std::uint32_t i) -> std::string_view { return admins[i].id; });
  }

  // The admin's grant on org `o`, or null.
  const GrantRec* findGrant(const AdminRec& a, std::uint32_t o) const {
    const std::uint32_t* first = grant_orgs.data() + a.first_grant;
    const std::uint32_t* last = first + a.grant_count;
    const std::uint32_t* it = std::lower_bound(first, last, o);
    return it != last && *it == o ? &grants[static_cast<std::size_t>(it - grant_orgs.data())] : nullptr;
  }
};

}  // namespace mtp::engine::detail
