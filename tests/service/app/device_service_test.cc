// app::DeviceService on a real SQLite store, without HTTP (issue 9 item 5): the connect key
// (derived, revoked by a regeneration), an agent's registration and check-in, commands queued
// per device with their events (a device of another org or provider is not found and gets no
// command), and a device key reaching only its own device's commands.
#include "app/device_service.h"

#include <gtest/gtest.h>

#include "app/organization_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

class DeviceServiceTest : public AppTest {
 protected:
  static DeviceFacts facts(const std::string& host) {
    DeviceFacts f;
    f.hostname = host;
    f.os = "Ubuntu 24.04";
    f.os_family = "linux";
    f.version = "1.0.0";
    return f;
  }
  std::vector<model::DeviceCommandRecord> commandsOf(DeviceService& svc, const std::string& org,
                                                     const std::string& device) {
    auto c = svc.commands(actorOf(owner_id_), org, device, 100);
    EXPECT_TRUE(c) << c.error().message;
    return c.value_or(std::vector<model::DeviceCommandRecord>{});
  }
};

TEST_F(DeviceServiceTest, TheConnectKeyIsStableUntilRegeneratedAndThenTheOldOneIsRefused) {
  const std::string org = addOrg("Acme");
  DeviceService svc(*app_);
  auto first = svc.connectKey(actorOf(owner_id_), org);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->key.starts_with("ck_"));
  EXPECT_EQ(first->key.size(), 43u);
  auto again = svc.connectKey(actorOf(owner_id_), org);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->key, first->key) << "derived again, not a new one";
  EXPECT_EQ(events("connectkey_regenerated").size(), 1u) << "the first read created it";

  auto next = svc.regenerateConnectKey(actorOf(owner_id_), org);
  ASSERT_TRUE(next);
  EXPECT_NE(next->key, first->key);
  EXPECT_EQ(events("connectkey_regenerated").size(), 2u);
  EXPECT_TRUE(failsWith(svc.registerDevice(first->key, facts("old"), "198.51.100.7"), "unauthenticated"));
  EXPECT_TRUE(failsWith(svc.registerDevice("ck_" + std::string(40, '0'), facts("x"), "198.51.100.7"),
                        "unauthenticated"));
  auto reg = svc.registerDevice(next->key, facts("web-01"), "198.51.100.7");
  ASSERT_TRUE(reg) << reg.error().message;
  EXPECT_EQ(reg->org_id, org);
  EXPECT_TRUE(reg->device_key.starts_with("dk_"));
  auto ev = events("device_registered");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].initiated_by_type, "device");
  EXPECT_EQ(ev[0].resource_id, reg->device_id);
  EXPECT_EQ(ev[0].organization, org);
  EXPECT_TRUE(failsWith(svc.registerDevice(next->key, facts(""), "198.51.100.7"), "invalid_argument"));
}

TEST_F(DeviceServiceTest, CommandsAreQueuedPerDeviceAndRefusedForADeviceOutOfTheOrg) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  DeviceService svc(*app_);
  auto d1 = enroll(acme, "web-01");
  auto d2 = enroll(acme, "web-02");
  auto g1 = enroll(globex, "db-01");
  // As a bulk lock runs: each device on its own, in the org the request names.
  auto results = eachOf({d1.device_id, g1.device_id, "no-such-device", d2.device_id},
                        [&](const std::string& id) { return svc.queueCommand(actorOf(owner_id_), acme, id, "lock"); });
  EXPECT_FALSE(results[0]);
  EXPECT_TRUE(failsWith(results[1], "not_found")) << "a device of another org";
  EXPECT_TRUE(failsWith(results[2], "not_found"));
  EXPECT_FALSE(results[3]);
  EXPECT_EQ(commandsOf(svc, acme, d1.device_id).size(), 1u);
  EXPECT_EQ(commandsOf(svc, globex, g1.device_id).size(), 0u);
  auto ev = events("device_command_queued");
  ASSERT_EQ(ev.size(), 2u);
  for (const auto& e : ev) {
    EXPECT_EQ(e.organization, acme);
    EXPECT_NE(e.resource_id, g1.device_id);
    EXPECT_NE(e.changes_json.find("lock"), std::string::npos);
  }
  EXPECT_TRUE(failsWith(svc.get(actorOf(owner_id_), acme, g1.device_id), "not_found"));
  EXPECT_TRUE(failsWith(svc.commands(actorOf(owner_id_), acme, g1.device_id, 10), "not_found"));
}

TEST_F(DeviceServiceTest, RemoteAssistNeedsTheOrgsSwitch) {
  const std::string acme = addOrg("Acme");
  DeviceService svc(*app_);
  auto d = enroll(acme, "web-01");
  EXPECT_TRUE(failsWith(svc.queueCommand(actorOf(owner_id_), acme, d.device_id, "remote_assist"),
                        "precondition_failed"));
  EXPECT_TRUE(events("device_command_queued").empty());
  OrganizationService orgs(*app_);
  OrgChanges on;
  on.remote_assist = true;
  ASSERT_TRUE(orgs.update(actorOf(owner_id_), acme, on));
  auto c = svc.queueCommand(actorOf(owner_id_), acme, d.device_id, "remote_assist");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->status, "pending");
  EXPECT_EQ(c->created_by, owner_id_);
}

TEST_F(DeviceServiceTest, ACheckinHandsOutPendingCommandsOnceAndOnlyTheOwnDeviceAnswersThem) {
  const std::string acme = addOrg("Acme");
  DeviceService svc(*app_);
  auto d1 = enroll(acme, "web-01");
  auto d2 = enroll(acme, "web-02");
  auto c = svc.queueCommand(actorOf(owner_id_), acme, d1.device_id, "restart");
  ASSERT_TRUE(c) << c.error().message;

  model::DeviceCheckin facts;
  facts.uptime_seconds = 42;
  auto other = svc.checkin(d2.device_key, facts);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_TRUE(other->commands.empty());
  auto work = svc.checkin(d1.device_key, facts);
  ASSERT_TRUE(work) << work.error().message;
  ASSERT_EQ(work->commands.size(), 1u);
  EXPECT_EQ(work->commands[0].id, c->id);
  EXPECT_EQ(work->commands[0].status, "sent");
  auto twice = svc.checkin(d1.device_key, facts);
  ASSERT_TRUE(twice);
  EXPECT_TRUE(twice->commands.empty()) << "handed out once";
  EXPECT_TRUE(failsWith(svc.checkin("dk_" + std::string(64, 'a'), facts), "unauthenticated"));

  AgentReport report{"done", "rebooting", std::nullopt, false};
  EXPECT_TRUE(failsWith(svc.commandResult(d2.device_key, c->id, report, "198.51.100.8"), "not_found"))
      << "another device's command";
  EXPECT_TRUE(events("device_command_result").empty());
  EXPECT_TRUE(failsWith(svc.commandResult(d1.device_key, c->id, AgentReport{"maybe", "", std::nullopt, false},
                                          "198.51.100.7"),
                        "invalid_argument"));
  auto done = svc.commandResult(d1.device_key, c->id, report, "198.51.100.7");
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_TRUE(std::holds_alternative<model::DeviceCommandRecord>(*done));
  EXPECT_EQ(std::get<model::DeviceCommandRecord>(*done).status, "done");
  EXPECT_EQ(std::get<model::DeviceCommandRecord>(*done).output, "rebooting");
  EXPECT_EQ(events("device_command_result").size(), 1u);
  EXPECT_TRUE(failsWith(svc.commandResult(d1.device_key, c->id, report, "198.51.100.7"), "not_found"))
      << "finished already";
}

TEST_F(DeviceServiceTest, AnotherProvidersDeviceIsNotFoundAndGetsNoCommand) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  DeviceService svc(*app_);
  auto t = enroll(theirs, "their-host", "linux", "p2", other_owner);
  const Actor me = actorOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.get(me, theirs, t.device_id), "not_found"));
  EXPECT_TRUE(failsWith(svc.queueCommand(me, theirs, t.device_id, "lock"), "not_found"));
  EXPECT_TRUE(failsWith(svc.commands(me, theirs, t.device_id, 10), "not_found"));
  EXPECT_TRUE(failsWith(svc.connectKey(me, theirs), "not_found"));
  EXPECT_TRUE(failsWith(svc.regenerateConnectKey(me, theirs), "not_found"));
  auto page = svc.list(me, model::OrgReach::everything(), model::ListQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 0);
  auto mine = svc.list(actorOf(other_owner, "p2"), model::OrgReach::everything(), model::ListQuery{});
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->total_count, 1);
  auto work = svc.checkin(t.device_key, model::DeviceCheckin{});
  ASSERT_TRUE(work);
  EXPECT_TRUE(work->commands.empty());
  EXPECT_TRUE(events("").empty()) << "nothing written to p1";
  EXPECT_TRUE(events("device_command_queued", "p2").empty());
}

}  // namespace
}  // namespace mtp::app::testing
