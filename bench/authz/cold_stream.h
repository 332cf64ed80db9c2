// The cold stream of issue 15: a tenant of 10,000 orgs and 2,000 admins whose ids are
// 24-character strings (as MongoDB-style ObjectIds arrive in HTTP requests), and 1,000,000
// requests for org-scoped actions, each given twice: with the ids as strings (for the engine)
// and as dense integers (for the hand-written floor). Same requests, same order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mtp/engine/authorizer.h"

namespace mtp::bench {

struct ColdScale {
  int orgs = 10000;
  int admins = 2000;
  int grants_per_admin = 20;  // 10..30, mean 20
  int requests = 1000000;
  unsigned seed = 15;
};

inline constexpr std::size_t kIdLength = 24;

// The engine's view of one request: both ids inline, as they arrive (56 bytes).
struct ColdEntry {
  char admin[kIdLength];
  char org[kIdLength];
  engine::ActionId action;
  bool api_key;
  bool mfa;
  bool office_ip;
};

// The floor's view of the same request: dense integer ids (12 bytes).
struct FloorEntry {
  std::uint32_t admin;
  std::uint32_t org;
  engine::ActionId action;
  bool api_key;
  bool mfa;
};

struct ColdWorld {
  engine::DirectoryData directory;  // provider 0: the tenant; provider 1: another one
  std::vector<ColdEntry> requests;
  std::vector<FloorEntry> floor_requests;
};

std::unique_ptr<ColdWorld> makeColdWorld(const ColdScale& scale);

// The engine's request for a stream entry (what the service builds per HTTP request).
engine::Request toRequest(const ColdEntry& e);

// The strong floor: integer ids, the admin's role bit mask, active and MFA flags in one
// 16-byte record, then one open-addressing hash set of `admin << 32 | org` (8-byte slots,
// at most half full). No strings, no reasons, no per-org roles, no policies.
class Floor {
 public:
  // Built from the same directory (live grants at `now`), with the roles of `policies`.
  Floor(const engine::DirectoryData& directory, const engine::PolicySet& policies, engine::UnixTime now);

  bool allowed(const FloorEntry& e) const {
    const Admin& a = admins_[e.admin];
    if (!a.active) return false;
    if (a.mfa_required && !e.mfa) return false;
    if (((a.actions >> e.action) & 1u) == 0) return false;
    return a.all_organizations || contains((std::uint64_t{e.admin} << 32) | e.org);
  }
  std::size_t bytes() const { return admins_.size() * sizeof(Admin) + slots_.size() * 8; }

 private:
  struct Admin {
    std::uint64_t actions = 0;
    bool active = false;
    bool mfa_required = false;
    bool all_organizations = false;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::size_t slotOf(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  bool contains(std::uint64_t key) const {
    for (std::size_t i = slotOf(key);; i = (i + 1) & mask_) {
      const std::uint64_t s = slots_[i];
      if (s == key) return true;
      if (s == kEmpty) return false;
    }
  }
  void insert(std::uint64_t key);

  std::vector<Admin> admins_;
  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
};

}  // namespace mtp::bench
