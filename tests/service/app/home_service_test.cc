// app::HomeService on a real SQLite store, without HTTP (issue 9 item 5): the bulk "require
// MFA" answers per admin (one refusal does not stop the others), the MDM dates with their
// status and their activity event only when something changed.
#include "app/home_service.h"

#include <gtest/gtest.h>

#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

constexpr std::int64_t kDay = 86400;

class HomeServiceTest : public AppTest {
 protected:
  std::int64_t activityCount() {
    model::ActivityQuery q;
    auto page = store_->query([&](store::Tx& tx) { return tx.listActivity(scope_, q); });
    EXPECT_TRUE(page) << page.error().message;
    return page ? static_cast<std::int64_t>(page->size()) : -1;
  }
};

TEST_F(HomeServiceTest, RequireMfaAnswersEachAdminOnItsOwn) {
  const std::string a = addAdmin("a@example.com", "read_only", true);
  const std::string b = addAdmin("b@example.com", "help_desk", true);
  HomeService home(*app_);
  auto authz = authorizationOf(owner_id_);
  auto results = home.requireMfa(actorOf(owner_id_), {a, "no-such-admin", b}, *authz);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].id, a);
  EXPECT_FALSE(results[0].error);
  ASSERT_TRUE(results[1].error);
  EXPECT_EQ(results[1].error->code, Status::Code::kNotFound);
  EXPECT_FALSE(results[2].error);
  for (const auto& id : {a, b}) {
    auto admin = store_->query([&](store::Tx& tx) { return tx.getAdmin(scope_, id); });
    ASSERT_TRUE(admin);
    EXPECT_TRUE(admin->enable_multi_factor) << id;
  }
}

TEST_F(HomeServiceTest, RequireMfaRefusedForAnActorWithoutAdminManagement) {
  const std::string helper = addAdmin("helper@example.com", "help_desk", true);
  HomeService home(*app_);
  auto authz = authorizationOf(helper);
  auto results = home.requireMfa(actorOf(helper), {owner_id_}, *authz);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].error);
  EXPECT_EQ(results[0].error->code, Status::Code::kPermissionDenied);
}

TEST_F(HomeServiceTest, MdmDatesAreKeptAndAnEventWrittenOnlyOnAChange) {
  const std::string org = addOrg("Acme");
  HomeService home(*app_);
  const std::int64_t before = activityCount();
  OrgMdm mdm;
  mdm.apns_certificate_expires_at = now_ + 5 * kDay;
  mdm.ade_token_expires_at = now_ + 90 * kDay;
  auto saved = home.putMdm(actorOf(owner_id_), org, mdm);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->apns_certificate_expires_at, mdm.apns_certificate_expires_at);
  EXPECT_FALSE(saved->vpp_token_expires_at);
  EXPECT_EQ(saved->ade_token_expires_at, mdm.ade_token_expires_at);
  EXPECT_EQ(activityCount(), before + 1);
  ASSERT_TRUE(home.putMdm(actorOf(owner_id_), org, mdm));  // the same dates: no event
  EXPECT_EQ(activityCount(), before + 1);
  EXPECT_EQ(home.getMdm(actorOf(owner_id_), "no-such-org").error().code, Status::Code::kNotFound);
}

TEST(MdmStatus, ByDaysLeft) {
  const std::int64_t now = 1'800'000'000;
  EXPECT_EQ(mdmStatus(now, now), "expired");
  EXPECT_EQ(mdmStatus(now + 10 * kDay, now), "within_10_days");
  EXPECT_EQ(mdmStatus(now + 11 * kDay, now), "within_30_days");
  EXPECT_EQ(mdmStatus(now + 31 * kDay, now), "later");
}

}  // namespace
}  // namespace mtp::app::testing
