// Policy coverage (mtp/engine/coverage.h): Snapshot::authorize with a PolicyCoverage decides
// exactly as the plain overload and records the roles, policies and condition outcomes it
// exercised; summarizeCoverage lists what was left out, at file:line. Also PolicySet::version.
#include <gtest/gtest.h>

#include "mtp/engine/authorizer.h"
#include "mtp/engine/coverage.h"
#include "mtp/engine/documents.h"
#include "test_support.h"

namespace mtp::engine {
namespace {

using testing::compileWith;
using testing::req;

const char* const kPolicies =
    "policies:\n"                                                 // 1
    "  - id: no-restart-in-freeze\n"                              // 2
    "    effect: forbid\n"                                        // 3
    "    actions: [devices.restart]\n"                            // 4
    "    when: org.tags contains \"change-freeze\"\n"             // 5
    "    unless: request.mfa == true\n"                           // 6
    "  - id: never-asked\n"                                       // 7
    "    effect: forbid\n"                                        // 8
    "    actions: [billing.update]\n"                             // 9
    "    when: request.mfa == false\n";                           // 10

DirectoryData directory() {
  auto d = parseDirectoryDocument("dir.json", R"({
    "providers": [{"id": "msp1", "organizations": [
        {"id": "o1", "name": "Acme", "tags": []},
        {"id": "o2", "name": "Globex", "tags": ["change-freeze"]}]}],
    "admins": [{"id": "hd", "provider": "msp1", "email": "hd@msp.example", "roleName": "help_desk",
                "status": "active", "allOrganizations": true}]})");
  EXPECT_TRUE(d.has_value());
  return *d;
}

const CoverageGap* findGap(const CoverageSummary& s, std::string_view rule, std::string_view what) {
  for (const auto& g : s.gaps)
    if (g.rule == rule && g.what.find(what) != std::string::npos) return &g;
  return nullptr;
}

TEST(Coverage, RecordsWhatWasEvaluatedAndDecidesAsThePlainOverload) {
  auto set = compileWith(kPolicies);
  auto snap = testing::snapshotOf(set, directory());
  PolicyCoverage cov(*set);
  Request in_freeze = req("hd", "devices.restart", "o2");
  in_freeze.mfa = false;
  for (const Request& r : {req("hd", "devices.restart", "o1"), in_freeze, req("hd", "users.unlock", "o1")}) {
    const Decision plain = snap->authorize(r);
    const Decision covered = snap->authorize(r, cov);
    EXPECT_EQ(plain.allowed, covered.allowed);
    EXPECT_EQ(plain.reason, covered.reason);
    EXPECT_EQ(plain.decided_by, covered.decided_by);
  }
  const auto hd = *set->findRole("help_desk");
  EXPECT_EQ(cov.role_consulted[hd], 3u);
  EXPECT_EQ(cov.role_granted[hd], 3u);
  const auto& freeze = cov.policies[0];
  EXPECT_EQ(freeze.evaluated, 2u);
  EXPECT_EQ(freeze.applied, 1u);
  EXPECT_EQ(freeze.when[0].true_count, 1u);
  EXPECT_EQ(freeze.when[0].false_count, 1u);
  EXPECT_EQ(freeze.unless[0].evaluated, 1u);  // only where `when` held
  EXPECT_EQ(freeze.unless[0].false_count, 1u);
  EXPECT_EQ(cov.policies[1].evaluated, 0u);

  const CoverageSummary s = summarizeCoverage(*set, cov);
  EXPECT_LT(s.covered, s.total);
  const CoverageGap* g = findGap(s, "policy `never-asked`", "never evaluated");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->file, "test.yaml");
  EXPECT_EQ(g->line, 7);
  g = findGap(s, "policy `no-restart-in-freeze`", "unless[0] `request.mfa == true` never true");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->line, 6);
  EXPECT_EQ(findGap(s, "policy `no-restart-in-freeze`", "when[0]"), nullptr) << "both outcomes seen";
  EXPECT_EQ(findGap(s, "role `help_desk`", ""), nullptr);
  EXPECT_NE(findGap(s, "role `admin`", "never the effective role"), nullptr);
}

TEST(Coverage, EverythingExercisedLeavesNoGap) {
  auto set = compileWith(
      "policies:\n"
      "  - id: p\n"
      "    effect: forbid\n"
      "    actions: [devices.restart]\n"
      "    when: org.tags contains \"change-freeze\"\n");
  auto snap = testing::snapshotOf(set, directory());
  PolicyCoverage cov(*set);
  snap->authorize(req("hd", "devices.restart", "o1"), cov);
  snap->authorize(req("hd", "devices.restart", "o2"), cov);
  const CoverageSummary s = summarizeCoverage(*set, cov);
  for (const auto& g : s.gaps) EXPECT_NE(g.rule, "policy `p`") << g.what;
}

TEST(PolicyVersion, FollowsTheTextsOnly) {
  auto a = compileWith(kPolicies);
  auto b = compileWith(kPolicies);
  auto c = compileWith(std::string(kPolicies) + "    # a comment is a change too\n");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->version().size(), 16u);
  EXPECT_EQ(a->version().find_first_not_of("0123456789abcdef"), std::string_view::npos);
  EXPECT_EQ(a->version(), b->version());
  EXPECT_NE(a->version(), c->version());
  auto snap = testing::snapshotOf(a, directory());
  EXPECT_EQ(snap->policyVersion(), a->version());
}

}  // namespace
}  // namespace mtp::engine
