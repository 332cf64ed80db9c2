// app::UserScheduleService and runDueUserSchedules on a real SQLite store, without HTTP
// (issue 9 item 5): a schedule is set only when it fits the user's state and lies ahead, under
// If-Match, with a `user_update` event; the job carries out what is due (and only that) with
// the manual action's event, clears what no longer fits, and runs across providers without
// mixing them; another provider's user cannot be scheduled.
#include "app/user_schedule_service.h"

#include <gtest/gtest.h>

#include "app/user_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

constexpr std::int64_t kHour = 3600;

class UserScheduleTest : public AppTest {
 protected:
  model::SystemUserRecord user(const std::string& org, const std::string& name, bool activated,
                               const std::string& provider = "p1", const std::string& admin = "") {
    UserService users(*app_);
    UserCreate in;
    in.username = name;
    in.activated = activated;
    auto u = users.create(actorOf(admin.empty() ? owner_id_ : admin, provider), org, in);
    EXPECT_TRUE(u) << u.error().message;
    return u.value_or(model::SystemUserRecord{});
  }
  model::SystemUserRecord reread(const std::string& org, const std::string& id,
                                 const std::string& provider = "p1") {
    auto u = store_->query(
        [&](store::Tx& tx) { return tx.getSystemUser(store::TenantScope{provider}, org, id); });
    EXPECT_TRUE(u) << u.error().message;
    return u.value_or(model::SystemUserRecord{});
  }
};

TEST_F(UserScheduleTest, ASuspensionIsSetOnlyAheadForAnActivatedUserUnderIfMatch) {
  const std::string org = addOrg("Acme");
  auto active = user(org, "alice", true);
  auto staged = user(org, "sam", false);
  UserScheduleService svc(*app_);
  const Actor me = actorOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.set(me, org, active.id, ScheduledChange::kSuspension, now_.load()), "invalid_argument"))
      << "not in the future";
  EXPECT_TRUE(failsWith(svc.set(me, org, staged.id, ScheduledChange::kSuspension, now_ + kHour),
                        "precondition_failed"));
  EXPECT_TRUE(failsWith(svc.set(me, org, active.id, ScheduledChange::kActivation, now_ + kHour),
                        "precondition_failed"));
  EXPECT_TRUE(failsWith(svc.set(me, org, active.id, ScheduledChange::kSuspension, now_ + kHour,
                                ifMatch({active.version + 1})),
                        "precondition_failed"));
  EXPECT_TRUE(events("user_update").empty());

  auto set = svc.set(me, org, active.id, ScheduledChange::kSuspension, now_ + kHour, ifMatch({active.version}));
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->scheduled_suspension_at, now_ + kHour);
  EXPECT_GT(set->version, active.version);
  auto ev = events("user_update");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_NE(ev[0].changes_json.find("scheduled_suspension_date"), std::string::npos);
  EXPECT_EQ(ev[0].organization, org);

  // The same time again is no write; clearing writes one event; clearing none writes nothing.
  ASSERT_TRUE(svc.set(me, org, active.id, ScheduledChange::kSuspension, now_ + kHour));
  EXPECT_EQ(events("user_update").size(), 1u);
  auto cleared = svc.set(me, org, active.id, ScheduledChange::kSuspension, std::nullopt);
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->scheduled_suspension_at);
  EXPECT_EQ(events("user_update").size(), 2u);
  ASSERT_TRUE(svc.set(me, org, active.id, ScheduledChange::kSuspension, std::nullopt));
  EXPECT_EQ(events("user_update").size(), 2u);
}

TEST_F(UserScheduleTest, TheJobCarriesOutWhatIsDueAndClearsWhatNoLongerFits) {
  const std::string org = addOrg("Acme");
  auto soon = user(org, "soon", true);
  auto later = user(org, "later", true);
  auto staged = user(org, "staged", false);
  auto stale = user(org, "stale", true);
  UserScheduleService svc(*app_);
  const Actor me = actorOf(owner_id_);
  ASSERT_TRUE(svc.set(me, org, soon.id, ScheduledChange::kSuspension, now_ + kHour));
  ASSERT_TRUE(svc.set(me, org, later.id, ScheduledChange::kSuspension, now_ + 3 * kHour));
  ASSERT_TRUE(svc.set(me, org, staged.id, ScheduledChange::kActivation, now_ + kHour));
  ASSERT_TRUE(svc.set(me, org, stale.id, ScheduledChange::kSuspension, now_ + kHour));
  UserService users(*app_);
  ASSERT_TRUE(users.act(me, org, stale.id, UserAction::kSuspend));  // by hand meanwhile

  EXPECT_EQ(runDueUserSchedules(*store_, now_ + kHour - 1).changed, 0) << "nothing due yet";
  const std::size_t updates = events("user_update").size();
  auto pass = runDueUserSchedules(*store_, now_ + 2 * kHour);
  EXPECT_EQ(pass.changed, 2);
  EXPECT_EQ(pass.cleared, 1);
  EXPECT_EQ(pass.failed, 0);
  EXPECT_EQ(reread(org, soon.id).state, model::UserState::kSuspended);
  EXPECT_FALSE(reread(org, soon.id).scheduled_suspension_at);
  EXPECT_EQ(reread(org, staged.id).state, model::UserState::kActivated);
  EXPECT_EQ(reread(org, later.id).state, model::UserState::kActivated);
  EXPECT_EQ(reread(org, later.id).scheduled_suspension_at, now_ + 3 * kHour);
  EXPECT_FALSE(reread(org, stale.id).scheduled_suspension_at);
  auto suspended = events("user_suspended");
  ASSERT_EQ(suspended.size(), 2u);  // the job's and the manual one (same second: any order)
  const auto& by_job = suspended[0].resource_id == soon.id ? suspended[0] : suspended[1];
  const auto& by_hand = suspended[0].resource_id == soon.id ? suspended[1] : suspended[0];
  EXPECT_EQ(by_job.resource_id, soon.id);
  EXPECT_EQ(by_job.initiated_by_type, "system");
  EXPECT_EQ(by_hand.resource_id, stale.id);
  EXPECT_EQ(by_hand.initiated_by_type, "admin");
  EXPECT_EQ(events("user_activated").size(), 1u);
  EXPECT_EQ(events("user_update").size(), updates + 1) << "the stale schedule's clearing";

  auto again = runDueUserSchedules(*store_, now_ + 2 * kHour);
  EXPECT_EQ(again.changed + again.cleared, 0) << "done once";
}

TEST_F(UserScheduleTest, ProvidersStayApartInTheJobAndInTheUseCase) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  const std::string ours = addOrg("Ours");
  auto t = user(theirs, "tom", true, "p2", other_owner);
  auto o = user(ours, "olga", true);
  UserScheduleService svc(*app_);
  EXPECT_TRUE(failsWith(svc.set(actorOf(owner_id_), theirs, t.id, ScheduledChange::kSuspension, now_ + kHour),
                        "not_found"));
  EXPECT_FALSE(reread(theirs, t.id, "p2").scheduled_suspension_at);
  ASSERT_TRUE(svc.set(actorOf(other_owner, "p2"), theirs, t.id, ScheduledChange::kSuspension, now_ + kHour));
  ASSERT_TRUE(svc.set(actorOf(owner_id_), ours, o.id, ScheduledChange::kSuspension, now_ + kHour));
  auto pass = runDueUserSchedules(*store_, now_ + 2 * kHour);
  EXPECT_EQ(pass.changed, 2);
  EXPECT_EQ(reread(theirs, t.id, "p2").state, model::UserState::kSuspended);
  ASSERT_EQ(events("user_suspended", "p2").size(), 1u);
  EXPECT_EQ(events("user_suspended", "p2")[0].resource_id, t.id);
  ASSERT_EQ(events("user_suspended").size(), 1u);
  EXPECT_EQ(events("user_suspended")[0].resource_id, o.id);
}

}  // namespace
}  // namespace mtp::app::testing
