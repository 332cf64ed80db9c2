// The snapshot's hot index: ids longer than a slot holds inline, ids that differ in one
// character, grant expiries beyond 32 bits, and a directory large enough for the open-addressing
// tables to probe past collisions: every grant is found, no other pair is.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "test_support.h"

namespace mtp::engine {
namespace {

using namespace testing;

std::string idOf(char c, std::size_t n, char last) {
  std::string s(n, c);
  s.back() = last;
  return s;
}

TEST(IndexKeys, LongAndBoundaryLengthIdsAreFoundAndCompared) {
  // Slots hold ids of up to 24 bytes inline (read as overlapping words: 1-3, 4-7, 8-15 and
  // 16-24 bytes are read differently), longer ones are compared in the record: lengths on both
  // sides of each boundary.
  const std::vector<std::size_t> lengths = {1, 2, 3, 4, 7, 8, 15, 16, 17, 23, 24, 25, 31, 32, 33, 38, 39, 40, 64, 200};
  DirectoryData d;
  ProviderData p{idOf('p', 50, '1'), false, {}};
  for (std::size_t n : lengths) {
    p.organizations.push_back(OrgData{idOf('o', n, 'a'), "A", {}});
    p.organizations.push_back(OrgData{idOf('o', n, 'b'), "B", {}});  // differs in the last byte
  }
  d.providers.push_back(p);
  for (std::size_t n : lengths) {
    d.admins.push_back(admin(idOf('a', n, 'x'), p.id, "help_desk", false, {GrantData{idOf('o', n, 'a'), "", std::nullopt}}));
    d.admins.push_back(admin(idOf('a', n, 'y'), p.id, "help_desk", false, {GrantData{idOf('o', n, 'b'), "", std::nullopt}}));
  }
  auto snap = snapshotOf(compileWith(), d);
  ASSERT_TRUE(snap);
  for (std::size_t n : lengths) {
    const std::string ax = idOf('a', n, 'x'), ay = idOf('a', n, 'y');
    const std::string oa = idOf('o', n, 'a'), ob = idOf('o', n, 'b');
    EXPECT_TRUE(snap->authorize(req(ax, "users.unlock", oa)).allowed) << n;
    EXPECT_EQ(snap->authorize(req(ax, "users.unlock", ob)).reason, Reason::kOrgNotGranted) << n;
    EXPECT_TRUE(snap->authorize(req(ay, "users.unlock", ob)).allowed) << n;
    EXPECT_EQ(snap->authorize(req(ay, "users.unlock", oa)).reason, Reason::kOrgNotGranted) << n;
    // One byte shorter or longer is another id.
    EXPECT_EQ(snap->authorize(req(ax.substr(0, n - 1), "users.unlock", oa)).reason, Reason::kUnknownAdmin) << n;
    EXPECT_EQ(snap->authorize(req(ax + "x", "users.unlock", oa)).reason, Reason::kUnknownAdmin) << n;
    EXPECT_EQ(snap->authorize(req(ax, "users.unlock", oa + "a")).reason, Reason::kOrgUnknown) << n;
    const auto reach = snap->orgsFor(ax, act("users.unlock"), RequestContext{AuthMethod::kSession, true, std::nullopt, kNow});
    ASSERT_EQ(reach.organizations.size(), 1u) << n;
    EXPECT_EQ(reach.organizations[0], oa);
  }
  // A duplicate long id is still a duplicate.
  d.admins.push_back(admin(idOf('a', 200, 'x'), p.id, "admin"));
  EXPECT_FALSE(Snapshot::build(compileWith(), d).has_value());
}

TEST(IndexKeys, GrantExpiriesBeyondThirtyTwoBits) {
  const UnixTime far = (UnixTime{1} << 33) + 17;
  DirectoryData d;
  d.providers.push_back(ProviderData{"p", false, {OrgData{"neg", "", {}}, OrgData{"zero", "", {}},
                                                  OrgData{"far", "", {}}, OrgData{"edge", "", {}}}});
  d.admins.push_back(admin("a", "p", "help_desk", false,
                           {GrantData{"neg", "", -5}, GrantData{"zero", "", 0}, GrantData{"far", "", far},
                            GrantData{"edge", "", UnixTime{0xffffffff}}}));
  auto snap = snapshotOf(compileWith(), d);
  ASSERT_TRUE(snap);
  auto at = [&](std::string_view org, UnixTime t) {
    Request r = req("a", "users.read", org);
    r.time = t;
    return snap->authorize(r).reason;
  };
  EXPECT_EQ(at("neg", -6), Reason::kAllowed);
  EXPECT_EQ(at("neg", -5), Reason::kGrantExpired);
  EXPECT_EQ(at("zero", -1), Reason::kAllowed);
  EXPECT_EQ(at("zero", 0), Reason::kGrantExpired);
  EXPECT_EQ(at("far", kNow), Reason::kAllowed);
  EXPECT_EQ(at("far", far - 1), Reason::kAllowed);
  EXPECT_EQ(at("far", far), Reason::kGrantExpired);
  EXPECT_EQ(at("edge", UnixTime{0xfffffffe}), Reason::kAllowed);
  EXPECT_EQ(at("edge", UnixTime{0xffffffff}), Reason::kGrantExpired);
}

TEST(IndexKeys, EveryGrantOfALargeDirectoryIsFoundAndNoOtherPair) {
  std::mt19937_64 rng(15);
  constexpr int kOrgs = 3000, kAdmins = 400;
  DirectoryData d;
  ProviderData p{"p", false, {}};
  for (int o = 0; o < kOrgs; ++o) p.organizations.push_back(OrgData{"org-" + std::to_string(o * 7919), "", {}});
  d.providers.push_back(p);
  std::set<std::pair<int, int>> granted;
  for (int a = 0; a < kAdmins; ++a) {
    AdminData ad = admin("admin-" + std::to_string(a * 104729), "p", "help_desk");
    std::set<int> mine;
    while (mine.size() < 20) mine.insert(static_cast<int>(rng() % kOrgs));
    for (int o : mine) {
      ad.organizations.push_back(GrantData{p.organizations[o].id, "", std::nullopt});
      granted.insert({a, o});
    }
    d.admins.push_back(ad);
  }
  auto snap = snapshotOf(compileWith(), d);
  ASSERT_TRUE(snap);
  long allowed = 0, denied = 0;
  for (int a = 0; a < kAdmins; ++a) {
    for (int k = 0; k < 60; ++k) {
      const int o = static_cast<int>(rng() % kOrgs);
      const Decision dec = snap->authorize(req(d.admins[a].id, "users.read", p.organizations[o].id));
      if (granted.count({a, o})) {
        ASSERT_TRUE(dec.allowed) << a << " " << o;
        ++allowed;
      } else {
        ASSERT_EQ(dec.reason, Reason::kOrgNotGranted) << a << " " << o;
        ++denied;
      }
    }
    for (const auto& g : d.admins[a].organizations)
      ASSERT_TRUE(snap->authorize(req(d.admins[a].id, "users.read", g.organization)).allowed);
  }
  EXPECT_GT(denied, 0);
  EXPECT_EQ(allowed + denied, kAdmins * 60L);
}

}  // namespace
}  // namespace mtp::engine
