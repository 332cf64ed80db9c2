#include "cold_stream.h"

#include <algorithm>
#include <random>

#include "tenant_generator.h"

namespace mtp::bench {

using namespace mtp::engine;

namespace {

const char* kRoles[] = {"admin_billing", "admin",     "manager",  "help_desk",
                        "command_runner", "command_runner_billing", "read_only", "billing_only"};
const char* kTags[] = {"change-freeze", "lab", "vip", "eu", "healthcare"};
constexpr UnixTime kNow = 1795334400;  // the stream's request time (toRequest)

// An ObjectId-like id: 8 hex digits of a creation time close to its neighbours', 10 of
// per-process randomness, 6 of a counter. 24 characters, so beyond std::string's 15-byte
// small-string buffer.
std::string objectId(std::mt19937_64& rng, std::uint32_t time, std::uint32_t counter) {
  static const char* hex = "0123456789abcdef";
  const std::uint64_t random = rng();
  std::string s(kIdLength, '0');
  for (int i = 0; i < 8; ++i) s[i] = hex[(time >> (28 - 4 * i)) & 15];
  for (int i = 0; i < 10; ++i) s[8 + i] = hex[(random >> (4 * i)) & 15];
  for (int i = 0; i < 6; ++i) s[18 + i] = hex[(counter >> (20 - 4 * i)) & 15];
  return s;
}

}  // namespace

namespace {

// The parts every request of the stream shares, made once: a request is this copied and patched.
struct RequestTemplates {
  Request office, home;
  RequestTemplates() {
    office.time = home.time = kNow;
    office.client_ip = parseIpAddress("10.20.30.40");
    home.client_ip = parseIpAddress("203.0.113.9");
  }
};
const RequestTemplates kTemplates;

}  // namespace

Request toRequest(const ColdEntry& e) {
  Request r = e.office_ip ? kTemplates.office : kTemplates.home;
  r.admin = std::string_view(e.admin, kIdLength);
  r.organization = std::string_view(e.org, kIdLength);
  r.action = e.action;
  r.auth_method = e.api_key ? AuthMethod::kApiKey : AuthMethod::kSession;
  r.mfa = e.mfa;
  return r;
}

std::unique_ptr<ColdWorld> makeColdWorld(const ColdScale& s) {
  auto w = std::make_unique<ColdWorld>();
  std::mt19937_64 rng(s.seed);
  auto uni = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto coin = [&](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };
  std::uint32_t counter = 0x1a2b3c;

  ProviderData p{objectId(rng, 0x5f000000, counter++), false, {}};
  for (int o = 0; o < s.orgs; ++o) {
    OrgData od{objectId(rng, 0x5f100000 + static_cast<std::uint32_t>(o) * 7, counter++),
               "Org " + std::to_string(o), {}};
    for (const char* t : kTags)
      if (coin(0.05)) od.tags.push_back(t);
    p.organizations.push_back(std::move(od));
  }
  w->directory.providers.push_back(std::move(p));
  ProviderData other{objectId(rng, 0x5f000001, counter++), false, {}};
  other.organizations.push_back(OrgData{objectId(rng, 0x5f200000, counter++), "Other", {}});
  w->directory.providers.push_back(std::move(other));
  const auto& orgs = w->directory.providers[0].organizations;

  auto& admins = w->directory.admins;
  std::vector<std::vector<std::uint32_t>> grant_orgs(s.admins);
  for (int a = 0; a < s.admins; ++a) {
    AdminData ad;
    ad.id = objectId(rng, 0x5f300000 + static_cast<std::uint32_t>(a) * 13, counter++);
    ad.provider = w->directory.providers[0].id;
    ad.email = "admin" + std::to_string(a) + (a % 50 == 0 ? "@contractor.example" : "@msp.example");
    ad.role = kRoles[a % 8];
    ad.status = a % 40 == 0 ? AdminStatus::kSuspended : AdminStatus::kActive;
    ad.enable_multi_factor = a % 3 == 0;
    ad.api_key_allowed = a % 4 == 0;
    ad.all_organizations = coin(0.05);
    if (!ad.all_organizations) {
      const int n = s.grants_per_admin / 2 + uni(s.grants_per_admin + 1);
      for (int g = 0; g < n; ++g) {
        const auto o = static_cast<std::uint32_t>((a * 37 + g * 101) % s.orgs);
        GrantData gd{orgs[o].id, "", std::nullopt};
        if (coin(0.10)) gd.role = kRoles[uni(8)];
        if (coin(0.05)) gd.expires_at = kNow + (coin(0.5) ? -86400 : 86400);  // half expired
        ad.organizations.push_back(std::move(gd));
        grant_orgs[a].push_back(o);
      }
    }
    admins.push_back(std::move(ad));
  }

  const auto roles = benchPolicies(false);
  std::vector<ActionId> org_actions;
  for (std::size_t i = 0; i < allActions().size(); ++i)
    if (allActions()[i].scope == Scope::kOrg) org_actions.push_back(static_cast<ActionId>(i));
  w->requests.reserve(s.requests);
  w->floor_requests.reserve(s.requests);
  for (int i = 0; i < s.requests; ++i) {
    const auto ai = static_cast<std::uint32_t>(uni(s.admins));
    const AdminData& a = admins[ai];
    ActionId action = org_actions[uni(static_cast<int>(org_actions.size()))];
    if (coin(0.6)) {  // mostly what the default role holds, so that about half is allowed
      const ActionSet held = roles->role(*roles->findRole(a.role)).actions;
      std::vector<ActionId> mine;
      for (ActionId id : org_actions)
        if (held.has(id)) mine.push_back(id);
      if (!mine.empty()) action = mine[uni(static_cast<int>(mine.size()))];
    }
    std::uint32_t oi;
    if (!grant_orgs[ai].empty() && coin(0.8)) oi = grant_orgs[ai][uni(static_cast<int>(grant_orgs[ai].size()))];
    else oi = static_cast<std::uint32_t>(uni(s.orgs));
    ColdEntry e{};
    std::copy_n(a.id.data(), kIdLength, e.admin);
    std::copy_n(orgs[oi].id.data(), kIdLength, e.org);
    e.action = action;
    e.api_key = coin(0.1);
    e.mfa = coin(0.9);
    e.office_ip = coin(0.8);
    w->requests.push_back(e);
    w->floor_requests.push_back(FloorEntry{ai, oi, action, e.api_key, e.mfa});
  }
  return w;
}

Floor::Floor(const DirectoryData& d, const PolicySet& policies, UnixTime now) {
  const auto& orgs = d.providers[0].organizations;
  std::vector<std::pair<std::string_view, std::uint32_t>> org_index;
  for (std::uint32_t o = 0; o < orgs.size(); ++o) org_index.emplace_back(orgs[o].id, o);
  std::sort(org_index.begin(), org_index.end());
  auto orgOf = [&](std::string_view id) {
    return std::lower_bound(org_index.begin(), org_index.end(), std::make_pair(id, std::uint32_t{0}))->second;
  };
  std::size_t grants = 0;
  for (const auto& a : d.admins) grants += a.organizations.size();
  std::size_t cap = 16;
  while (cap < grants * 2) cap <<= 1;
  slots_.assign(cap, kEmpty);
  mask_ = cap - 1;
  shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(cap));
  for (std::uint32_t ai = 0; ai < d.admins.size(); ++ai) {
    const auto& a = d.admins[ai];
    const auto role = policies.findRole(a.role);
    admins_.push_back(Admin{role ? policies.role(*role).actions.bits() : 0,
                            a.status == AdminStatus::kActive, a.enable_multi_factor, a.all_organizations});
    for (const auto& g : a.organizations)
      if (!g.expires_at || *g.expires_at > now) insert((std::uint64_t{ai} << 32) | orgOf(g.organization));
  }
}

void Floor::insert(std::uint64_t key) {
  for (std::size_t i = slotOf(key);; i = (i + 1) & mask_) {
    if (slots_[i] == key) return;
    if (slots_[i] == kEmpty) {
      slots_[i] = key;
      return;
    }
  }
}

}  // namespace mtp::bench
