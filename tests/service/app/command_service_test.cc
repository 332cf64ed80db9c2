// app::CommandService on a real SQLite store, without HTTP (issue 9 item 5): saved commands
// validated and versioned (If-Match) with their events, a run that queues one result per
// device or nothing at all (a device of another org or OS refuses the whole run), the agent
// picking its results up and reporting them, and another provider's commands out of reach.
#include "app/command_service.h"

#include <gtest/gtest.h>

#include "app/device_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

class CommandServiceTest : public AppTest {
 protected:
  static SavedCommandInput linuxScript(const std::string& name) {
    SavedCommandInput in;
    in.name = name;
    in.target_os = "linux";
    in.shell = "bash";
    in.script = "uptime";
    return in;
  }
};

TEST_F(CommandServiceTest, SavedCommandsAreValidatedVersionedAndRecorded) {
  const std::string org = addOrg("Acme");
  CommandService svc(*app_);
  const Actor me = actorOf(owner_id_);
  SavedCommandInput bad = linuxScript("x");
  bad.shell = "powershell";
  EXPECT_TRUE(failsWith(svc.create(me, org, bad), "invalid_argument")) << "a Windows shell on linux";
  bad = linuxScript("x");
  bad.target_os = "beos";
  EXPECT_TRUE(failsWith(svc.create(me, org, bad), "invalid_argument"));
  bad = linuxScript("x");
  bad.script = std::string(kMaxScript + 1, 'a');
  EXPECT_TRUE(failsWith(svc.create(me, org, bad), "invalid_argument"));
  bad = linuxScript("x");
  bad.script.reset();
  EXPECT_TRUE(failsWith(svc.create(me, org, bad), "invalid_argument")) << "every field required";
  EXPECT_TRUE(events("command_created").empty());

  auto c = svc.create(me, org, linuxScript("Uptime"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->created_by, owner_id_);
  EXPECT_EQ(events("command_created").size(), 1u);

  SavedCommandInput ch;
  ch.script = "uptime -p";
  EXPECT_TRUE(failsWith(svc.update(me, org, c->id, ch, ifMatch({c->version + 1})), "precondition_failed"));
  EXPECT_EQ(svc.get(me, org, c->id)->script, "uptime");
  auto up = svc.update(me, org, c->id, ch, ifMatch({c->version}));
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_EQ(up->script, "uptime -p");
  EXPECT_EQ(up->name, "Uptime") << "absent fields stay";
  EXPECT_GT(up->version, c->version);
  EXPECT_EQ(events("command_updated").size(), 1u);

  EXPECT_TRUE(failsWith(svc.remove(me, org, c->id, ifMatch({c->version})), "precondition_failed"));
  ASSERT_TRUE(svc.remove(me, org, c->id, ifMatch({up->version})));
  EXPECT_TRUE(failsWith(svc.get(me, org, c->id), "not_found"));
  EXPECT_EQ(events("command_deleted").size(), 1u);
}

TEST_F(CommandServiceTest, ARunQueuesOneResultPerDeviceOrNothing) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  auto l1 = enroll(acme, "web-01", "linux");
  auto l2 = enroll(acme, "web-02", "linux");
  auto win = enroll(acme, "desk-01", "windows");
  auto other = enroll(globex, "db-01", "linux");
  CommandService svc(*app_);
  const Actor me = actorOf(owner_id_);
  auto c = svc.create(me, acme, linuxScript("Uptime"));
  ASSERT_TRUE(c) << c.error().message;

  EXPECT_TRUE(failsWith(svc.run(me, acme, c->id, {l1.device_id, other.device_id}), "not_found"))
      << "a device of another org";
  EXPECT_TRUE(failsWith(svc.run(me, acme, c->id, {l1.device_id, win.device_id}), "conflict"))
      << "a device of another OS";
  EXPECT_TRUE(failsWith(svc.run(me, acme, c->id, {}), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.run(me, acme, "no-such-command", {l1.device_id}), "not_found"));
  auto none = svc.results(me, acme, c->id, "", 100);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty()) << "a refused run queues nothing";
  EXPECT_TRUE(events("command_run").empty());

  auto run = svc.run(me, acme, c->id, {l2.device_id, l1.device_id});
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_EQ(run->size(), 2u);
  EXPECT_EQ((*run)[0].device_id, l2.device_id) << "in the order given";
  EXPECT_EQ((*run)[1].device_id, l1.device_id);
  EXPECT_EQ((*run)[0].status, "pending");
  auto ev = events("command_run");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_NE(ev[0].changes_json.find(l1.device_id), std::string::npos);

  // The agent picks its own result up at check-in and reports it.
  DeviceService devices(*app_);
  auto work = devices.checkin(l1.device_key, model::DeviceCheckin{});
  ASSERT_TRUE(work) << work.error().message;
  ASSERT_EQ(work->scripts.size(), 1u);
  EXPECT_EQ(work->scripts[0].script, "uptime");
  EXPECT_EQ(work->scripts[0].status, "sent");
  const std::string result_id = work->scripts[0].id;
  AgentReport report{"done", " 12:00 up 3 days", 0, false};
  EXPECT_TRUE(failsWith(devices.commandResult(l2.device_key, result_id, report, "198.51.100.8"), "not_found"));
  EXPECT_TRUE(failsWith(devices.commandResult(l1.device_key, result_id,
                                              AgentReport{"exploded", "", std::nullopt, false}, "198.51.100.7"),
                        "invalid_argument"));
  auto done = devices.commandResult(l1.device_key, result_id, report, "198.51.100.7");
  ASSERT_TRUE(done) << done.error().message;
  auto mine = svc.results(me, acme, c->id, l1.device_id, 10);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].status, "done");
  EXPECT_EQ((*mine)[0].exit_code, 0);
  EXPECT_EQ(events("command_result").size(), 1u);
}

TEST(CommandOutcome, IsCheckedAndCutOnACharacterBoundary) {
  EXPECT_TRUE(failsWith(checkCommandOutcome({"maybe", std::nullopt, "", false}), "invalid_argument"));
  EXPECT_TRUE(failsWith(checkCommandOutcome({"timed_out", 1, "", false}), "invalid_argument"))
      << "an exit code only with done or failed";
  // 'é' is two bytes: a cut at kMaxCommandOutput must not split it.
  std::string out(kMaxCommandOutput - 1, 'a');
  out += "\xC3\xA9tail";
  auto cut = checkCommandOutcome({"done", 0, out, false});
  ASSERT_TRUE(cut);
  EXPECT_TRUE(cut->truncated);
  EXPECT_EQ(cut->output.size(), kMaxCommandOutput - 1);
  EXPECT_TRUE(osMatches("mac", "darwin"));
  EXPECT_FALSE(osMatches("linux", "windows"));
}

TEST_F(CommandServiceTest, AnotherProvidersCommandsAreOutOfReach) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  auto their_device = enroll(theirs, "their-host", "linux", "p2", other_owner);
  CommandService svc(*app_);
  auto c = svc.create(actorOf(other_owner, "p2"), theirs, linuxScript("Theirs"));
  ASSERT_TRUE(c) << c.error().message;
  const Actor me = actorOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.get(me, theirs, c->id), "not_found"));
  EXPECT_TRUE(failsWith(svc.update(me, theirs, c->id, linuxScript("Mine")), "not_found"));
  EXPECT_TRUE(failsWith(svc.remove(me, theirs, c->id), "not_found"));
  EXPECT_TRUE(failsWith(svc.run(me, theirs, c->id, {their_device.device_id}), "not_found"));
  EXPECT_TRUE(failsWith(svc.create(me, theirs, linuxScript("Planted")), "not_found"));
  auto still = svc.get(actorOf(other_owner, "p2"), theirs, c->id);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->name, "Theirs");
  EXPECT_EQ(still->version, c->version);
  auto results = svc.results(actorOf(other_owner, "p2"), theirs, c->id, "", 10);
  ASSERT_TRUE(results);
  EXPECT_TRUE(results->empty());
  EXPECT_TRUE(events("").empty());
}

}  // namespace
}  // namespace mtp::app::testing
