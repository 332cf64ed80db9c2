// The provider object and its settings over real HTTP on both backends.
#include "service_fixture.h"

namespace mtp::testing {
namespace {

class ProviderRoutesTest : public ServiceTest {
 protected:
  // The activity of a provider without the access_denied events that denials write.
  std::vector<model::ActivityRecord> mutations(const std::string& p) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(p)) {
      if (e.event_type != "access_denied") out.push_back(std::move(e));
    }
    return out;
  }
  bool storedMfa(const std::string& p) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getProvider(model::TenantScope{p}); });
    return r && r->require_admin_mfa;
  }
};

TEST_P(ProviderRoutesTest, ReadIsSettingsReadAndTenantScoped) {
  auto p = createProvider("MSP One");
  auto q = createProvider("MSP Two");
  auto a = createAdmin(p, SeedAdmin{"manager", false});
  auto r = call("GET", "/api/v2/providers/" + p, a.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["id"], p);
  EXPECT_EQ(j["name"], "MSP One");
  EXPECT_EQ(j["requireAdminMFA"], false);
  EXPECT_TRUE(j["created"].get<std::string>().ends_with("Z"));

  EXPECT_EQ(call("GET", "/api/v2/providers/" + q, a.token).status, 404);
  EXPECT_EQ(call("GET", "/api/v2/providers/unknown", a.token).status, 404);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p).status, 401);
  auto hd = createAdmin(p, SeedAdmin{"help_desk", true});
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p, hd.token).status, 403);  // no settings.read
}

TEST_P(ProviderRoutesTest, OnlyAdminBillingChangesTheGlobalMfaRequirement) {
  auto p = createProvider("MSP");
  auto q = createProvider("Other");
  auto admin = createAdmin(p, SeedAdmin{"admin", true});
  auto owner = createAdmin(p, SeedAdmin{"admin_billing", true});
  const std::string path = "/api/v2/providers/" + p + "/settings";

  EXPECT_EQ(call("PUT", path, admin.token, R"({"requireAdminMFA":true})").status, 403);
  EXPECT_EQ(call("PUT", "/api/v2/providers/" + q + "/settings", owner.token, R"({"requireAdminMFA":true})").status, 404);
  EXPECT_EQ(call("PUT", path, owner.token, R"({"requireAdminMFA":"yes"})").status, 400);
  EXPECT_EQ(call("PUT", path, owner.token, R"({"requireAdminMFA":true,"name":"x"})").status, 400);
  EXPECT_EQ(call("PUT", path, owner.token, R"({})").status, 400);
  EXPECT_FALSE(storedMfa(p));
  EXPECT_FALSE(storedMfa(q));
  EXPECT_TRUE(mutations(p).empty());

  // Before: a session without MFA is fine.
  const std::string no_mfa = mintToken(p, admin.id, false);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p, no_mfa).status, 200);

  auto r = call("PUT", path, owner.token, R"({"requireAdminMFA":true})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["requireAdminMFA"], true);
  EXPECT_TRUE(storedMfa(p));
  auto events = mutations(p);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "provider_update");
  EXPECT_EQ(events[0].resource_type, "provider");
  EXPECT_EQ(events[0].resource_id, p);
  EXPECT_EQ(events[0].initiated_by_id, owner.id);
  EXPECT_EQ(nlohmann::json::parse(events[0].changes_json),
            (nlohmann::json{{{"field", "requireAdminMFA"}, {"from", "false"}, {"to", "true"}}}));

  // At once: the very next request without MFA is refused.
  r = call("GET", "/api/v2/providers/" + p, no_mfa);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body(r)["error"]["code"], "mfa_required");
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p, admin.token).status, 200);  // MFA verified
  // The other provider is untouched.
  auto other = createAdmin(q, SeedAdmin{"admin", true});
  EXPECT_EQ(call("GET", "/api/v2/providers/" + q, mintToken(q, other.id, false)).status, 200);

  // No change: no write, no event.
  EXPECT_EQ(call("PUT", path, owner.token, R"({"requireAdminMFA":true})").status, 200);
  EXPECT_EQ(mutations(p).size(), 1u);
  EXPECT_EQ(call("PUT", path, owner.token, R"({"requireAdminMFA":false})").status, 200);
  EXPECT_EQ(mutations(p).size(), 2u);
  // Turning it on set every admin's own flag (the seeds' rule): off again, the admin stays
  // required until their own flag is changed.
  EXPECT_EQ(body(call("GET", "/api/v2/providers/" + p, no_mfa))["error"]["code"], "mfa_required");
}

MTP_SERVICE_BACKENDS(ProviderRoutesTest);

}  // namespace
}  // namespace mtp::testing
