// Scheduled user access (issue 12 item 2) on both backends: setting and clearing a user's
// scheduled suspension or activation through the API (validation, roles, the org boundary,
// one event per change), Home's widgets listing them, and the schedule job's pass carrying
// each out when due: the state changes with the manual action's event, once, even with two
// passes (two replicas) racing, and the schedule is cleared.
#include <algorithm>
#include <thread>

#include "app/admin_text.h"
#include "app/user_schedule_service.h"
#include "main/periodic_job.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class UserScheduleTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p_ = createProvider("MSP");
    a_ = createOrg(p_, "A");
    b_ = createOrg(p_, "B");
    owner_ = createAdmin(p_, {.role = "admin_billing", .all_organizations = true});
  }
  std::string seedUser(const std::string& org, const std::string& username, model::UserState state) {
    model::SystemUserRecord r;
    r.org_id = org;
    r.username = username;
    r.state = state;
    auto id = app().store().transact(
        [&](store::Tx& tx) { return tx.createSystemUser(model::TenantScope{p_}, r, std::nullopt); });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }
  HttpResponse schedule(const std::string& method, const std::string& kind, const std::string& org,
                        const std::string& id, std::optional<std::int64_t> at, const std::string& token = "") {
    const std::string b = at ? json{{"start_date", app::formatRfc3339(*at)}}.dump() : "";
    return call(method, "/api/systemusers/" + id + "/schedule/" + kind, token.empty() ? owner_.token : token, b,
                {{"x-org-id", org}});
  }
  model::SystemUserRecord stored(const std::string& org, const std::string& id) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getSystemUser(model::TenantScope{p_}, org, id); });
    EXPECT_TRUE(r.has_value());
    return r ? *r : model::SystemUserRecord{};
  }
  long countEvents(const std::string& type, const std::string& id) {
    auto all = activity(p_);
    return std::count_if(all.begin(), all.end(),
                         [&](const auto& e) { return e.event_type == type && e.resource_id == id; });
  }

  std::string p_, a_, b_;
  SeededAdmin owner_;
};

TEST_P(UserScheduleTest, SetAndClearWithValidationRolesAndEvents) {
  auto active = seedUser(a_, "active", model::UserState::kActivated);
  auto staged = seedUser(a_, "staged", model::UserState::kStaged);
  auto in_b = seedUser(b_, "inb", model::UserState::kActivated);
  const std::int64_t at = now() + 3 * 86400;

  auto r = schedule("PUT", "suspension", a_, active, at);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["scheduled_suspension_date"], app::formatRfc3339(at));
  EXPECT_TRUE(body(r)["scheduled_activation_date"].is_null());
  EXPECT_EQ(stored(a_, active).scheduled_suspension_at, at);
  // The same again: no change, no second event.
  ASSERT_EQ(schedule("PUT", "suspension", a_, active, at).status, 200);
  EXPECT_EQ(countEvents("user_update", active), 1);

  // The state must fit; the time must be in the future and RFC 3339; no unknown fields.
  EXPECT_EQ(schedule("PUT", "activation", a_, active, at).status, 412);
  EXPECT_EQ(schedule("PUT", "suspension", a_, staged, at).status, 412);
  EXPECT_EQ(schedule("PUT", "suspension", a_, active, now() - 10).status, 400);
  EXPECT_EQ(call("PUT", "/api/systemusers/" + active + "/schedule/suspension", owner_.token,
                 R"({"start_date":"tomorrow"})", {{"x-org-id", a_}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/systemusers/" + active + "/schedule/suspension", owner_.token,
                 R"({"start_date":"2099-01-01T00:00:00Z","state":"SUSPENDED"})", {{"x-org-id", a_}}).status, 400);
  r = schedule("PUT", "activation", a_, staged, at + 60);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["scheduled_activation_date"], app::formatRfc3339(at + 60));

  // Roles: a command runner may do neither; a help desk outside B sees no B user.
  auto runner = createAdmin(p_, {.role = "command_runner", .organizations = {{a_}}});
  auto desk = createAdmin(p_, {.role = "help_desk", .organizations = {{a_}}});
  EXPECT_EQ(schedule("PUT", "suspension", a_, active, at, runner.token).status, 403);
  EXPECT_EQ(schedule("DELETE", "suspension", a_, active, std::nullopt, runner.token).status, 403);
  EXPECT_EQ(schedule("PUT", "suspension", b_, in_b, at, desk.token).status, 404);
  EXPECT_FALSE(stored(b_, in_b).scheduled_suspension_at.has_value());
  // A user of A named with B's header: 404.
  EXPECT_EQ(schedule("PUT", "suspension", b_, active, at).status, 404);

  // Home lists what is scheduled within its window (7 days by default).
  auto home = call("GET", "/api/v2/providers/" + p_ + "/home/scheduled_suspensions", desk.token);
  ASSERT_EQ(home.status, 200) << home.body;
  ASSERT_EQ(body(home)["totalCount"], 1);
  EXPECT_EQ(body(home)["results"][0]["id"], active);
  home = call("GET", "/api/v2/providers/" + p_ + "/home/scheduled_activations", desk.token);
  EXPECT_EQ(body(home)["totalCount"], 1);

  // Clearing.
  r = schedule("DELETE", "suspension", a_, active, std::nullopt, desk.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(body(r)["scheduled_suspension_date"].is_null());
  EXPECT_FALSE(stored(a_, active).scheduled_suspension_at.has_value());
  EXPECT_EQ(countEvents("user_update", active), 2);
  ASSERT_EQ(schedule("DELETE", "suspension", a_, active, std::nullopt).status, 200);  // none: no event
  EXPECT_EQ(countEvents("user_update", active), 2);
}

TEST_P(UserScheduleTest, TheJobCarriesEachOutOnceWhenDue) {
  auto leaver = seedUser(a_, "leaver", model::UserState::kActivated);
  auto joiner = seedUser(a_, "joiner", model::UserState::kStaged);
  auto back = seedUser(b_, "back", model::UserState::kSuspended);
  auto later = seedUser(b_, "later", model::UserState::kActivated);
  auto moot = seedUser(b_, "moot", model::UserState::kActivated);
  ASSERT_EQ(schedule("PUT", "suspension", a_, leaver, now() + 2).status, 200);
  ASSERT_EQ(schedule("PUT", "activation", a_, joiner, now() + 1).status, 200);
  ASSERT_EQ(schedule("PUT", "activation", b_, back, now() + 2).status, 200);
  ASSERT_EQ(schedule("PUT", "suspension", b_, later, now() + 3600).status, 200);
  ASSERT_EQ(schedule("PUT", "suspension", b_, moot, now() + 2).status, 200);
  // Suspended by hand before it is due: the schedule no longer fits.
  ASSERT_EQ(call("POST", "/api/v2/providers/" + p_ + "/users/actions", owner_.token,
                 json{{"action", "suspend"}, {"users", json::array({{{"organization", b_}, {"id", moot}}})}}.dump())
                .status,
            200);

  // Nothing is due yet.
  auto pass = app::runDueUserSchedules(app().store(), now());
  EXPECT_EQ(pass.changed + pass.cleared + pass.failed, 0);

  // Due: the job (every 50 ms, on the test's clock) runs twice at once, as two replicas would.
  advance(3);
  std::vector<std::unique_ptr<service::PeriodicJob>> jobs;
  for (int i = 0; i < 2; ++i) {
    jobs.push_back(service::PeriodicJob::start("user schedules", std::chrono::milliseconds(50),
                                               [this] { app::runDueUserSchedules(app().store(), now()); }));
  }
  for (int i = 0; i < 200 && stored(b_, back).state != model::UserState::kActivated; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // more passes of both
  for (auto& j : jobs) j->stop();

  EXPECT_EQ(stored(a_, leaver).state, model::UserState::kSuspended);
  EXPECT_EQ(stored(a_, joiner).state, model::UserState::kActivated);
  EXPECT_EQ(stored(b_, back).state, model::UserState::kActivated);
  EXPECT_EQ(stored(b_, later).state, model::UserState::kActivated);
  EXPECT_TRUE(stored(b_, later).scheduled_suspension_at.has_value());
  for (const auto& [org, id] : {std::pair{a_, leaver}, std::pair{a_, joiner}, std::pair{b_, back}, std::pair{b_, moot}}) {
    const auto u = stored(org, id);
    EXPECT_FALSE(u.scheduled_suspension_at.has_value()) << id;
    EXPECT_FALSE(u.scheduled_activation_at.has_value()) << id;
  }
  EXPECT_EQ(countEvents("user_suspended", leaver), 1);
  EXPECT_EQ(countEvents("user_activated", joiner), 1);
  EXPECT_EQ(countEvents("user_activated", back), 1);
  EXPECT_EQ(countEvents("user_suspended", moot), 1);  // the manual one only
  EXPECT_EQ(countEvents("user_update", moot), 2);     // scheduled, then cleared by the job
  for (const auto& e : activity(p_)) {
    if (e.resource_id == leaver && e.event_type == "user_suspended") {
      EXPECT_EQ(e.initiated_by_type, "system");
      EXPECT_EQ(e.organization, a_);
    }
  }
}

TEST_P(UserScheduleTest, TwoStoresOnOneDatabaseCarryItOutOnce) {
  // Two replicas' connections (PostgreSQL: row locks; SQLite: one writer at a time) racing.
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    ids.push_back(seedUser(a_, "u" + std::to_string(i), model::UserState::kActivated));
    ASSERT_EQ(schedule("PUT", "suspension", a_, ids.back(), now() + 1).status, 200);
  }
  advance(2);
  store::StoreOptions so;
  so.url = databaseUrl();
  so.pool_size = 2;
  const std::int64_t at = now();
  so.clock = [at] { return at; };
  auto second = store::openStore(so);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  app::SchedulePass p1, p2;
  std::thread t([&] { p2 = app::runDueUserSchedules(**second, at); });
  p1 = app::runDueUserSchedules(app().store(), at);
  t.join();
  EXPECT_EQ(p1.changed + p2.changed, 20) << p1.changed << " + " << p2.changed;
  EXPECT_EQ(p1.failed + p2.failed, 0);
  for (const auto& id : ids) {
    EXPECT_EQ(stored(a_, id).state, model::UserState::kSuspended);
    EXPECT_EQ(countEvents("user_suspended", id), 1) << id;
  }
}

MTP_SERVICE_BACKENDS(UserScheduleTest);

}  // namespace
}  // namespace mtp::testing
