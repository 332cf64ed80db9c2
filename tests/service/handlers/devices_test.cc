// Devices, queued commands, connect keys and the device agent protocol, on both backends:
// the cross-org list shows only reached orgs; commands are queued under the role's actions
// (help desk: restart yes, shutdown no) and only in granted orgs; the agent round trip
// (register with the connect key, check in, receive the command, post the result, the admin
// sees done); a regenerated connect key refuses the old one; a device key reaches only its
// own device's commands.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class DevicesTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p_ = createProvider("MSP");
    a1_ = createOrg(p_, "Granted");
    a2_ = createOrg(p_, "Ungranted");
    owner_ = createAdmin(p_, SeedAdmin{"admin_billing", true, {}});
    help_ = createAdmin(p_, SeedAdmin{"help_desk", false, {SeedGrant{a1_, "", std::nullopt}}});
  }

  std::string base() const { return "/api/v2/providers/" + p_; }

  std::string connectKey(const std::string& org) {
    auto r = call("GET", base() + "/organizations/" + org + "/connectkey", owner_.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return body(r).value("connectKey", "");
  }

  // Registers a device through the agent protocol: {id, deviceKey, organization}.
  json enroll(const std::string& key, const std::string& hostname, const std::string& os = "Ubuntu 24.04") {
    json b = {{"connectKey", key}, {"hostname", hostname}, {"os", os}, {"osFamily", "linux"}, {"version", "1.2.0"}};
    auto r = call("POST", "/api/agent/v1/register", "", b.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body(r);
  }

  HttpResponse checkin(const std::string& device_key, const json& b = json::object()) {
    return call("POST", "/api/agent/v1/checkin", "", b.dump(), {{"x-device-key", device_key}});
  }

  HttpResponse result(const std::string& device_key, const std::string& command, const json& b) {
    return call("POST", "/api/agent/v1/commands/" + command + "/result", "", b.dump(),
                {{"x-device-key", device_key}});
  }

  HttpResponse command(const std::string& token, const std::string& org, const std::string& device,
                       const std::string& type) {
    return call("POST", "/api/systems/" + device + "/command/builtin/" + type, token, "", {{"x-org-id", org}});
  }

  std::string p_, a1_, a2_;
  SeededAdmin owner_, help_;
};

TEST_P(DevicesTest, ListShowsOnlyReachedOrgsWithFilters) {
  const std::string k1 = connectKey(a1_), k2 = connectKey(a2_);
  ASSERT_TRUE(k1.starts_with("ck_"));
  enroll(k1, "alpha", "Ubuntu 24.04");
  enroll(k1, "beta", "Windows 11");
  enroll(k2, "gamma", "Ubuntu 24.04");

  auto all = call("GET", base() + "/devices", owner_.token);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(body(all)["totalCount"], 3);

  auto mine = call("GET", base() + "/devices", help_.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  const auto j = body(mine);
  EXPECT_EQ(j["totalCount"], 2);
  ASSERT_EQ(j["results"].size(), 2u);
  const auto& d = j["results"][0];
  EXPECT_EQ(d["displayName"], "alpha");
  EXPECT_EQ(d["hostname"], "alpha");
  EXPECT_EQ(d["os"], "Ubuntu 24.04");
  EXPECT_EQ(d["osFamily"], "linux");
  EXPECT_EQ(d["version"], "1.2.0");
  EXPECT_EQ(d["active"], true);
  EXPECT_TRUE(d["lastContact"].is_string());
  EXPECT_EQ(d["uptimeSeconds"], 0);
  EXPECT_EQ(d["remoteAssist"], false);
  EXPECT_EQ(d["organization"], a1_);
  EXPECT_FALSE(d.contains("deviceKey"));

  auto os = call("GET", base() + "/devices?os=Windows%2011", help_.token);
  EXPECT_EQ(body(os)["totalCount"], 1) << os.body;
  auto filtered = call("GET", base() + "/devices?filter=os:eq:Ubuntu%2024.04", owner_.token);
  EXPECT_EQ(body(filtered)["totalCount"], 2) << filtered.body;
  // Naming an unreached org filters within the reach: nothing.
  auto other = call("GET", base() + "/devices?organization=" + a2_, help_.token);
  EXPECT_EQ(body(other)["totalCount"], 0) << other.body;
  auto org = call("GET", base() + "/devices?organization=" + a2_, owner_.token);
  EXPECT_EQ(body(org)["totalCount"], 1) << org.body;
  auto active = call("GET", base() + "/devices?active=false", owner_.token);
  EXPECT_EQ(body(active)["totalCount"], 0) << active.body;
  EXPECT_EQ(call("GET", base() + "/devices?filter=deviceKeyHash:eq:x", owner_.token).status, 400);

  // Another provider's admin sees nothing of it.
  auto q = createProvider("Other MSP");
  auto stranger = createAdmin(q, SeedAdmin{"admin_billing", true, {}});
  EXPECT_EQ(call("GET", base() + "/devices", stranger.token).status, 404);
}

TEST_P(DevicesTest, HelpDeskQueuesInGrantedOrgsOnlyAndWithinItsRole) {
  const auto d1 = enroll(connectKey(a1_), "granted-host");
  const auto d2 = enroll(connectKey(a2_), "ungranted-host");
  const std::string id1 = d1["id"], id2 = d2["id"];

  auto restart = command(help_.token, a1_, id1, "restart");
  ASSERT_EQ(restart.status, 201) << restart.body;
  const auto c = body(restart);
  EXPECT_EQ(c["type"], "restart");
  EXPECT_EQ(c["status"], "pending");
  EXPECT_EQ(c["device"], id1);
  EXPECT_EQ(c["organization"], a1_);
  EXPECT_EQ(c["createdBy"], help_.id);
  EXPECT_EQ(command(help_.token, a1_, id1, "lock").status, 201);
  EXPECT_EQ(command(help_.token, a1_, id1, "shutdown").status, 403);  // help desk lacks devices.shutdown
  // The ungranted org, by header or by naming its device under the granted org: 404.
  EXPECT_EQ(command(help_.token, a2_, id2, "restart").status, 404);
  EXPECT_EQ(command(help_.token, a1_, id2, "restart").status, 404);
  EXPECT_EQ(call("GET", "/api/systems/" + id2, help_.token, "", {{"x-org-id", a1_}}).status, 404);
  EXPECT_EQ(call("GET", "/api/systems/" + id2, help_.token, "", {{"x-org-id", a2_}}).status, 404);
  auto one = call("GET", "/api/systems/" + id1, help_.token, "", {{"x-org-id", a1_}});
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(body(one)["hostname"], "granted-host");
  // Unknown body fields are refused.
  EXPECT_EQ(call("POST", "/api/systems/" + id1 + "/command/builtin/restart", help_.token,
                 R"({"force":true})", {{"x-org-id", a1_}}).status, 400);
  // Remote assist needs the org's remoteAssist on.
  EXPECT_EQ(command(help_.token, a1_, id1, "remote_assist").status, 412);
  ASSERT_EQ(call("PUT", base() + "/organizations/" + a1_, owner_.token, R"({"remoteAssist":true})").status, 200);
  EXPECT_EQ(command(help_.token, a1_, id1, "remote_assist").status, 201);

  // Help desk holds no commands.read; the owner sees the three queued, newest first.
  EXPECT_EQ(call("GET", "/api/systems/" + id1 + "/commands", help_.token, "", {{"x-org-id", a1_}}).status, 403);
  auto list = call("GET", "/api/systems/" + id1 + "/commands", owner_.token, "", {{"x-org-id", a1_}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(body(list)["totalCount"], 3);

  int queued = 0;
  for (const auto& e : activity(p_)) {
    if (e.event_type != "device_command_queued") continue;
    ++queued;
    EXPECT_EQ(e.initiated_by_id, help_.id);
    EXPECT_EQ(e.organization, a1_);
    EXPECT_EQ(e.resource_id, id1);
  }
  EXPECT_EQ(queued, 3);
}

TEST_P(DevicesTest, AgentRoundTrip) {
  const std::string key = connectKey(a1_);
  const auto dev = enroll(key, "laptop-7");
  const std::string id = dev["id"], dk = dev["deviceKey"];
  ASSERT_TRUE(dk.starts_with("dk_"));
  EXPECT_EQ(dev["organization"], a1_);

  // Nothing queued yet.
  auto empty = checkin(dk, {{"uptimeSeconds", 120}});
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(body(empty)["commands"], json::array());

  auto q = command(help_.token, a1_, id, "restart");
  ASSERT_EQ(q.status, 201);
  const std::string cid = body(q)["id"];

  advance(60);
  auto got = checkin(dk, {{"uptimeSeconds", 3600}, {"version", "1.3.0"}});
  ASSERT_EQ(got.status, 200) << got.body;
  ASSERT_EQ(body(got)["commands"].size(), 1u);
  EXPECT_EQ(body(got)["commands"][0]["id"], cid);
  EXPECT_EQ(body(got)["commands"][0]["type"], "restart");
  // Taken once: the next check-in gets nothing.
  EXPECT_EQ(body(checkin(dk))["commands"], json::array());

  auto sent = call("GET", "/api/systems/" + id + "/commands", owner_.token, "", {{"x-org-id", a1_}});
  EXPECT_EQ(body(sent)["results"][0]["status"], "sent");
  EXPECT_TRUE(body(sent)["results"][0]["sentAt"].is_string());

  auto done = result(dk, cid, {{"status", "done"}, {"output", "restarted (simulated)"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(body(done)["status"], "done");
  // Finished: a second result is refused.
  EXPECT_EQ(result(dk, cid, {{"status", "failed"}}).status, 404);
  EXPECT_EQ(result(dk, cid, {{"status", "maybe"}}).status, 400);

  auto seen = call("GET", "/api/systems/" + id + "/commands", owner_.token, "", {{"x-org-id", a1_}});
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(body(seen)["results"][0]["status"], "done");
  EXPECT_EQ(body(seen)["results"][0]["output"], "restarted (simulated)");
  EXPECT_TRUE(body(seen)["results"][0]["finishedAt"].is_string());

  auto facts = call("GET", "/api/systems/" + id, owner_.token, "", {{"x-org-id", a1_}});
  EXPECT_EQ(body(facts)["uptimeSeconds"], 0);  // the last check-in had no uptime
  EXPECT_EQ(body(facts)["version"], "1.3.0");

  // Bad credentials and bodies.
  EXPECT_EQ(checkin("dk_nope").status, 401);
  EXPECT_EQ(checkin("").status, 401);
  EXPECT_EQ(checkin(dk, {{"serial", "x"}}).status, 400);
  EXPECT_EQ(call("POST", "/api/agent/v1/register", "",
                 json{{"connectKey", "ck_wrong"}, {"hostname", "h"}, {"os", "o"}, {"osFamily", "linux"}, {"version", "1"}}.dump())
                .status,
            401);
  EXPECT_EQ(call("POST", "/api/agent/v1/register", "", json{{"connectKey", key}, {"hostname", "h"}}.dump()).status, 400);

  // Events, and no key in any of them.
  bool registered = false, resulted = false;
  for (const auto& e : activity(p_)) {
    registered = registered || (e.event_type == "device_registered" && e.resource_id == id);
    resulted = resulted || (e.event_type == "device_command_result" && e.initiated_by_type == "device");
    EXPECT_EQ(e.changes_json.find(dk), std::string::npos);
    EXPECT_EQ(e.changes_json.find(key), std::string::npos);
  }
  EXPECT_TRUE(registered);
  EXPECT_TRUE(resulted);
}

TEST_P(DevicesTest, RegeneratedConnectKeyRefusesTheOldOne) {
  const std::string old_key = connectKey(a1_);
  EXPECT_EQ(connectKey(a1_), old_key);  // stable across reads
  auto regen = call("POST", base() + "/organizations/" + a1_ + "/connectkey", owner_.token);
  ASSERT_EQ(regen.status, 201) << regen.body;
  const std::string new_key = body(regen)["connectKey"];
  EXPECT_NE(new_key, old_key);
  EXPECT_EQ(connectKey(a1_), new_key);
  json b = {{"connectKey", old_key}, {"hostname", "late"}, {"os", "Ubuntu"}, {"osFamily", "linux"}, {"version", "1"}};
  EXPECT_EQ(call("POST", "/api/agent/v1/register", "", b.dump()).status, 401);
  enroll(new_key, "on-time");
  // Help desk (devices.read only) cannot read or regenerate the key.
  EXPECT_EQ(call("GET", base() + "/organizations/" + a1_ + "/connectkey", help_.token).status, 403);
  EXPECT_EQ(call("POST", base() + "/organizations/" + a1_ + "/connectkey", help_.token).status, 403);
  int regenerated = 0;
  for (const auto& e : activity(p_)) regenerated += e.event_type == "connectkey_regenerated";
  EXPECT_EQ(regenerated, 2);  // the first read's key, then the regeneration
}

TEST_P(DevicesTest, DeviceKeyReachesOnlyItsOwnCommands) {
  const auto mine = enroll(connectKey(a1_), "mine");
  const auto theirs = enroll(connectKey(a2_), "theirs");
  auto q = command(owner_.token, a2_, theirs["id"], "lock");
  ASSERT_EQ(q.status, 201);
  const std::string cid = body(q)["id"];
  EXPECT_EQ(result(mine["deviceKey"], cid, {{"status", "done"}}).status, 404);
  EXPECT_EQ(result(mine["deviceKey"], "0000nosuchcommand0000000", {{"status", "done"}}).status, 404);
  // Their command stays pending and is still theirs to take.
  EXPECT_EQ(body(checkin(mine["deviceKey"]))["commands"], json::array());
  auto got = checkin(theirs["deviceKey"]);
  ASSERT_EQ(body(got)["commands"].size(), 1u);
  EXPECT_EQ(result(theirs["deviceKey"], cid, {{"status", "failed"}, {"output", "no screen"}}).status, 200);
}

MTP_SERVICE_BACKENDS(DevicesTest);

}  // namespace
}  // namespace mtp::testing
