// Issue 10 item 7 over real HTTP on both backends: the activity log lists only what the reader
// reaches, as every other list does — the events of its orgs, and the provider's own events
// (no org) only if it may read provider settings — in pages and in downloads alike.
#include <set>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class ActivityReachTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p = createProvider("MSP");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
    for (const char* name : {"Org A", "Org B", "Org C", "Org D"}) {
      orgs.push_back(createOrg(p, name));
      // One event of each org, and one of the provider itself (no org).
      auto r = call("PUT", "/api/v2/providers/" + p + "/organizations/" + orgs.back(), owner.token,
                    json{{"name", std::string(name) + " renamed"}}.dump());
      EXPECT_EQ(r.status, 200) << r.body;
    }
    auto r = call("POST", "/api/v2/providers/" + p + "/administrators", owner.token,
                  json{{"email", "newcomer@msp.example"}, {"roleName", "help_desk"},
                       {"organizations", json::array({json{{"organization", orgs[2]}}})}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
  }

  std::string path(const std::string& query = "") const {
    return "/api/v2/providers/" + p + "/activity" + (query.empty() ? "" : "?" + query);
  }

  // The orgs of the events a reader is shown ("" for the provider's own events).
  std::set<std::string> orgsSeen(const std::string& token, const std::string& query = "") {
    auto r = call("GET", path(query), token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    const json page = body(r);
    for (const auto& e : page["results"]) out.insert(e["organization"].is_null() ? "" : e["organization"].get<std::string>());
    return out;
  }

  std::string p;
  SeededAdmin owner;
  std::vector<std::string> orgs;
};

TEST_P(ActivityReachTest, AHelpDeskSeesOnlyTheEventsOfItsOrgs) {
  auto hd = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{orgs[0], ""}, {orgs[1], ""}}});
  // help_desk holds activity.read but not settings.read: no provider-level event either.
  EXPECT_EQ(orgsSeen(hd.token), (std::set<std::string>{orgs[0], orgs[1]}));
  // Asking for another org by name finds nothing.
  EXPECT_EQ(orgsSeen(hd.token, "organization=" + orgs[2]), std::set<std::string>{});
  // The owner sees everything, the provider's own events included.
  EXPECT_EQ(orgsSeen(owner.token), (std::set<std::string>{"", orgs[0], orgs[1], orgs[2], orgs[3]}));
}

TEST_P(ActivityReachTest, AManagerSeesProviderEventsAndItsOrgsOnly) {
  auto mg = createAdmin(p, SeedAdmin{.role = "manager", .organizations = {{orgs[3], ""}}});
  EXPECT_EQ(orgsSeen(mg.token), (std::set<std::string>{"", orgs[3]}));
}

TEST_P(ActivityReachTest, DownloadsAreLimitedToo) {
  auto ro = createAdmin(p, SeedAdmin{.role = "read_only", .organizations = {{orgs[1], ""}}});
  auto r = call("GET", path("format=csv"), ro.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(orgs[1]), std::string::npos);
  // (orgs[2] appears in the provider-level admin_create event: read_only may read provider settings.)
  for (const auto& o : {orgs[0], orgs[3]}) EXPECT_EQ(r.body.find(o), std::string::npos) << o;
  r = call("GET", path("format=json"), ro.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const json page = body(r);
  for (const auto& e : page["results"])
    EXPECT_TRUE(e["organization"].is_null() || e["organization"] == orgs[1]) << e.dump();
}

MTP_SERVICE_BACKENDS(ActivityReachTest);

}  // namespace
}  // namespace mtp::testing
