// app::ProviderService on a real SQLite store, without HTTP (issue 9 item 5): requireAdminMFA
// under If-Match with its `provider_update` event only on a change, turning it on requiring
// every admin's own MFA, and one provider's settings never touching another's.
#include "app/provider_service.h"

#include <gtest/gtest.h>

#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

class ProviderServiceTest : public AppTest {
 protected:
  model::AdminRecord admin(const std::string& id, const std::string& provider = "p1") {
    auto a = store_->query([&](store::Tx& tx) { return tx.getAdmin(store::TenantScope{provider}, id); });
    EXPECT_TRUE(a) << a.error().message;
    return a.value_or(model::AdminRecord{});
  }
};

TEST_F(ProviderServiceTest, SettingsChangeUnderIfMatchWithOneEvent) {
  ProviderService svc(*app_);
  auto p = svc.get(actorOf(owner_id_));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_FALSE(p->require_admin_mfa);
  const std::int64_t v = p->version;

  ProviderSettings on;
  on.require_admin_mfa = true;
  EXPECT_TRUE(failsWith(svc.updateSettings(actorOf(owner_id_), on, ifMatch({v + 1})), "precondition_failed"));
  EXPECT_FALSE(svc.get(actorOf(owner_id_))->require_admin_mfa);
  EXPECT_TRUE(events("provider_update").empty());

  auto up = svc.updateSettings(actorOf(owner_id_), on, ifMatch({v}));
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_TRUE(up->require_admin_mfa);
  EXPECT_GT(up->version, v);
  auto ev = events("provider_update");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, "p1");
  EXPECT_NE(ev[0].changes_json.find("requireAdminMFA"), std::string::npos);
  EXPECT_EQ(ev[0].initiated_by_email, "owner@example.com");

  // The same value again: no write, no event, the version stays; absent: unchanged.
  auto same = svc.updateSettings(actorOf(owner_id_), on, ifMatch({up->version}));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->version, up->version);
  auto nothing = svc.updateSettings(actorOf(owner_id_), ProviderSettings{});
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->require_admin_mfa);
  EXPECT_EQ(events("provider_update").size(), 1u);
  EXPECT_TRUE(failsWith(svc.updateSettings(actorOf(owner_id_), ProviderSettings{false}, ifMatch({v})),
                        "precondition_failed"));
}

TEST_F(ProviderServiceTest, TurningTheRequirementOnRequiresEveryAdminsOwnMfa) {
  const std::string a = addAdmin("a@example.com", "read_only", true);
  const std::string b = addAdmin("b@example.com", "help_desk", true);
  EXPECT_FALSE(admin(a).enable_multi_factor);
  ProviderService svc(*app_);
  ASSERT_TRUE(svc.updateSettings(actorOf(owner_id_), ProviderSettings{true}));
  ASSERT_TRUE(svc.updateSettings(actorOf(owner_id_), ProviderSettings{false}));
  // Off again: each admin stays required until their own flag is changed.
  for (const auto& id : {owner_id_, a, b}) EXPECT_TRUE(admin(id).enable_multi_factor) << id;
  EXPECT_EQ(events("provider_update").size(), 2u);
}

TEST_F(ProviderServiceTest, OneProvidersSettingsNeverTouchAnothers) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  ProviderService svc(*app_);
  ASSERT_TRUE(svc.updateSettings(actorOf(owner_id_), ProviderSettings{true}));
  auto theirs = svc.get(actorOf(other_owner, "p2"));
  ASSERT_TRUE(theirs) << theirs.error().message;
  EXPECT_EQ(theirs->id, "p2");
  EXPECT_FALSE(theirs->require_admin_mfa);
  EXPECT_EQ(theirs->version, 1);
  EXPECT_FALSE(admin(other_owner, "p2").enable_multi_factor);
  EXPECT_TRUE(events("", "p2").empty());
  EXPECT_TRUE(failsWith(svc.get(actorOf(owner_id_, "no-such-provider")), "not_found"));
}

}  // namespace
}  // namespace mtp::app::testing
