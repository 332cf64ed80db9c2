// The directory of one snapshot, indexed for the hot path. A decision reads three cache lines
// whose addresses it knows from the request's strings alone: the admin's slot and the org's
// slot (id inline, flags beside it) and the grant table's slot for the pair. Dense records
// (ids, emails, names, tags, grant slices) serve the reverse queries, explanations and
// policies.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "authorizer/flat_index.h"
#include "authorizer/hot_arena.h"
#include "authorizer/policy_plan.h"
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

struct OrgRec {
  std::uint32_t provider = 0;
  std::uint64_t hash = 0;  // hashId(id)
  std::string id;
};

struct GrantRec {
  std::uint32_t org = 0;
  RoleId role = kNoRole;  // kNoRole: the admin's default role
  bool expires = false;
  UnixTime expires_at = 0;
};

struct AdminRec {
  std::uint32_t provider = 0;
  RoleId role = kNoRole;
  AdminStatus status = AdminStatus::kActive;
  bool enable_multi_factor = false;
  bool api_key_allowed = false;
  bool all_organizations = false;
  std::uint32_t first_grant = 0;
  std::uint32_t grant_count = 0;
  std::uint64_t hash = 0;  // hashId(id)
  std::string id;
};

// What a decision reads of an admin, beside its id: one cache line.
struct alignas(64) AdminSlot {
  std::uint64_t hash = 0;
  std::uint32_t index = kNotFound;  // dense admin index
  std::uint32_t provider = 0;
  RoleId role = kNoRole;            // the default role
  std::uint8_t status = 0;          // AdminStatus
  bool mfa_required = false;        // enableMultiFactor or the provider's requireAdminMFA
  bool api_key_allowed = false;
  bool all_organizations = false;
  bool has_grants = false;
  std::uint8_t key_len = 0;
  std::uint64_t principal_bits = 0;  // the admin's static policy conditions (PolicyPlans)
  char key[32] = {};
};
static_assert(sizeof(AdminSlot) == 64);

// An org's id and index: half a cache line, two to a line. The org's provider is read (from
// the compact org_provider) only when the admin holds no grant on it (a grant implies the
// admin's provider).
struct alignas(32) OrgSlot {
  std::uint32_t index = kNotFound;  // dense org index
  std::uint8_t key_len = 0;
  char key[27] = {};
};
static_assert(sizeof(OrgSlot) == 32);

// The action catalogue as the hot path reads it (no calls, no guarded statics).
struct ActionMeta {
  std::size_t count = 0;
  std::array<Scope, 64> scope{};
  ActionSet mfa_exempt;
  ActionSet escalation;
  ActionId self_apikey = kNoAction;
};

struct DirectoryIndex {
  std::vector<ProviderRec> providers;
  std::vector<OrgRec> orgs;
  std::vector<std::string> org_names;               // by org index
  std::vector<std::vector<std::string>> org_tags;   // by org index
  std::vector<std::uint64_t> org_bits;  // by org index: its static policy conditions (PolicyPlans)
  std::vector<std::uint32_t> org_provider;  // by org index: 4 bytes an org, so it stays in cache
  std::vector<AdminRec> admins;
  std::vector<std::string> admin_emails;            // by admin index
  std::vector<GrantRec> grants;  // grants of an admin are contiguous, sorted by org
  StringIndex provider_by_id;
  HotArena hot;  // holds the three tables below
  IdTable<OrgSlot> org_table;
  IdTable<AdminSlot> admin_table;
  GrantTable grant_table;
  ActionMeta actions;
  PolicyPlans plans;
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
  const AdminSlot* findAdminSlot(std::string_view id, std::uint64_t h) const {
    return admin_table.find(id, h, [this](std::uint32_t i) -> std::string_view { return admins[i].id; });
  }
  const OrgSlot* findOrgSlot(std::string_view id, std::uint64_t h) const {
    return org_table.find(id, h, [this](std::uint32_t i) -> std::string_view { return orgs[i].id; });
  }
  std::uint32_t findOrg(std::string_view id) const {
    const OrgSlot* s = findOrgSlot(id, hashId(id));
    return s ? s->index : kNotFound;
  }
  std::uint32_t findAdmin(std::string_view id) const {
    const AdminSlot* s = findAdminSlot(id, hashId(id));
    return s ? s->index : kNotFound;
  }

  // Admin `a`'s grant on org `o` (hashes of their ids `ha`, `ho`), or null.
  const GrantSlot* findGrant(std::uint64_t ha, std::uint64_t ho, std::uint32_t a, std::uint32_t o) const {
    return grant_table.find(pairHash(ha, ho), a, o);
  }
  bool expired(const GrantSlot& g, UnixTime now) const {
    switch (g.expiry) {
      case GrantSlot::kInlineTime: return static_cast<UnixTime>(g.until) <= now;
      case GrantSlot::kFar: return grants[g.until].expires_at <= now;
      default: return false;
    }
  }
};

}  // namespace mtp::engine::detail
