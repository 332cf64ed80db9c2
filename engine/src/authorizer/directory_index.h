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

// What a decision reads of an admin, beside its id: 32 bytes, two to a cache line (the
// admin's provider and its policy bits are read from dense arrays when needed).
struct alignas(32) AdminSlot {
  std::uint64_t key[3] = {0, 0, 0};  // IdKey::w
  std::uint32_t index = kNotFound;   // dense admin index
  RoleId role = kNoRole;             // the default role
  std::uint8_t flags = 0;            // k* below
  std::uint8_t key_len = kEmptyKey;
  // Flags. The first three are what checks 3-5 deny on: a request whose own bits (kNotActive
  // always, kNoApiKey for an API key, kMfaRequired without verified MFA) meet none of them
  // passes those checks with one test.
  static constexpr std::uint8_t kNotActive = 1, kNoApiKey = 2, kMfaRequired = 4, kAllOrganizations = 8,
                                kHasGrants = 16;
  bool active() const { return (flags & kNotActive) == 0; }
  bool apiKeyAllowed() const { return (flags & kNoApiKey) == 0; }
  bool mfaRequired() const { return (flags & kMfaRequired) != 0; }  // enableMultiFactor or requireAdminMFA
  bool allOrganizations() const { return (flags & kAllOrganizations) != 0; }
  bool hasGrants() const { return (flags & kHasGrants) != 0; }
};
static_assert(sizeof(AdminSlot) == 32);

// An org's id and index: half a cache line, two to a line. The org's provider is read (from
// the compact org_provider) only when the admin holds no grant on it (a grant implies the
// admin's provider).
struct alignas(32) OrgSlot {
  std::uint64_t key[3] = {0, 0, 0};  // IdKey::w
  std::uint32_t index = kNotFound;   // dense org index
  std::uint8_t key_len = kEmptyKey;
};
static_assert(sizeof(OrgSlot) == 32);

// The action catalogue as the hot path reads it (no calls, no guarded statics).
struct ActionMeta {
  std::size_t count = 0;
  std::array<Scope, 64> scope{};
  ActionSet mfa_exempt;
  ActionSet escalation;
  ActionSet policed;  // actions with a custom permit or forbid
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
  std::vector<std::uint32_t> admin_provider;  // by admin index: 4 bytes an admin
  std::vector<std::uint64_t> admin_bits;  // by admin index: its static policy conditions (PolicyPlans)
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
  const AdminSlot* findAdminSlot(std::string_view id, const IdKey& k) const {
    return admin_table.find(id, k, [this](std::uint32_t i) -> std::string_view { return admins[i].id; });
  }
  const OrgSlot* findOrgSlot(std::string_view id, const IdKey& k) const {
    return org_table.find(id, k, [this](std::uint32_t i) -> std::string_view { return orgs[i].id; });
  }
  std::uint32_t findOrg(std::string_view id) const {
    const OrgSlot* s = findOrgSlot(id, idKey(id));
    return s ? s->index : kNotFound;
  }
  std::uint32_t findAdmin(std::string_view id) const {
    const AdminSlot* s = findAdminSlot(id, idKey(id));
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
