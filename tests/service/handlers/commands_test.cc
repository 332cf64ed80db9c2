// Saved commands and their per-device results, on both backends: CRUD with commands.read /
// commands.run (a command runner edits and runs; a manager, who holds commands.read only,
// reads but cannot run); a run queues one result per device, which the agent receives at
// check-in (type script, shell, script) and finishes with exit code and output (cut at 64 KiB,
// truncated); a device of another org (or another OS family) is refused with nothing queued;
// the events are written with the change.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class CommandsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p_ = createProvider("MSP");
    a1_ = createOrg(p_, "Granted");
    a2_ = createOrg(p_, "Other");
    owner_ = createAdmin(p_, SeedAdmin{"admin_billing", true, {}});
    runner_ = createAdmin(p_, SeedAdmin{"command_runner", false, {SeedGrant{a1_, "", std::nullopt}}});
    manager_ = createAdmin(p_, SeedAdmin{"manager", false, {SeedGrant{a1_, "", std::nullopt}}});
  }

  json enroll(const std::string& org, const std::string& hostname, const std::string& family = "linux") {
    auto k = call("GET", "/api/v2/providers/" + p_ + "/organizations/" + org + "/connectkey", owner_.token);
    EXPECT_EQ(k.status, 200) << k.body;
    json b = {{"connectKey", body(k)["connectKey"]}, {"hostname", hostname}, {"os", "Some OS"},
              {"osFamily", family}, {"version", "1.0"}};
    auto r = call("POST", "/api/agent/v1/register", "", b.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body(r);
  }

  HttpResponse as(const SeededAdmin& who, const std::string& method, const std::string& path,
                  const std::string& b = "", const std::string& org = "") {
    return call(method, path, who.token, b, {{"x-org-id", org.empty() ? a1_ : org}});
  }

  std::string createCommand(const SeededAdmin& who, const json& b = {}) {
    json c = b.empty() ? json{{"name", "Hello"}, {"targetOS", "linux"}, {"shell", "bash"},
                              {"script", "echo hi; exit 3"}}
                       : b;
    auto r = as(who, "POST", "/api/commands", c.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body(r).value("id", "");
  }

  std::string p_, a1_, a2_;
  SeededAdmin owner_, runner_, manager_;
};

TEST_P(CommandsTest, CrudWithCommandsReadAndRun) {
  const auto id = createCommand(runner_);
  ASSERT_FALSE(id.empty());
  auto got = as(manager_, "GET", "/api/commands/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(body(got)["name"], "Hello");
  EXPECT_EQ(body(got)["targetOS"], "linux");
  EXPECT_EQ(body(got)["shell"], "bash");
  EXPECT_EQ(body(got)["script"], "echo hi; exit 3");
  EXPECT_EQ(body(got)["organization"], a1_);

  // A manager reads but neither creates, edits nor deletes.
  EXPECT_EQ(as(manager_, "POST", "/api/commands", R"({"name":"x","targetOS":"linux","shell":"sh","script":"true"})").status, 403);
  EXPECT_EQ(as(manager_, "PUT", "/api/commands/" + id, R"({"name":"y"})").status, 403);
  EXPECT_EQ(as(manager_, "DELETE", "/api/commands/" + id).status, 403);

  auto list = as(manager_, "GET", "/api/commands?sort=name");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(body(list)["totalCount"], 1);

  auto upd = as(runner_, "PUT", "/api/commands/" + id, R"({"name":"Renamed","script":"echo bye"})");
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(body(upd)["name"], "Renamed");
  EXPECT_EQ(body(upd)["script"], "echo bye");

  // Validation: an unknown OS, a shell of another OS, an empty script, a missing field.
  EXPECT_EQ(as(runner_, "POST", "/api/commands", R"({"name":"x","targetOS":"beos","shell":"sh","script":"true"})").status, 400);
  EXPECT_EQ(as(runner_, "POST", "/api/commands", R"({"name":"x","targetOS":"windows","shell":"bash","script":"true"})").status, 400);
  EXPECT_EQ(as(runner_, "POST", "/api/commands", R"({"name":"x","targetOS":"linux","shell":"sh","script":""})").status, 400);
  EXPECT_EQ(as(runner_, "POST", "/api/commands", R"({"name":"x","targetOS":"linux","shell":"sh"})").status, 400);
  EXPECT_EQ(as(runner_, "PUT", "/api/commands/" + id, R"({"shell":"cmd"})").status, 400);

  // Another org's header: the runner is not granted it; the owner does not find the command there.
  EXPECT_EQ(as(runner_, "GET", "/api/commands/" + id, "", a2_).status, 404);
  EXPECT_EQ(as(owner_, "GET", "/api/commands/" + id, "", a2_).status, 404);

  EXPECT_EQ(as(runner_, "DELETE", "/api/commands/" + id).status, 204);
  EXPECT_EQ(as(runner_, "GET", "/api/commands/" + id).status, 404);

  int created = 0, updated = 0, deleted = 0;
  for (const auto& e : activity(p_)) {
    created += e.event_type == "command_created";
    updated += e.event_type == "command_updated";
    deleted += e.event_type == "command_deleted";
    if (e.event_type.starts_with("command_")) {
      EXPECT_EQ(e.initiated_by_id, runner_.id);
      EXPECT_EQ(e.organization, a1_);
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(updated, 1);
  EXPECT_EQ(deleted, 1);
}

TEST_P(CommandsTest, RunReachesTheAgentAndItsResultIsShownPerDevice) {
  const auto d1 = enroll(a1_, "one"), d2 = enroll(a1_, "two"), other = enroll(a2_, "elsewhere");
  const auto win = enroll(a1_, "win", "windows");
  const auto id = createCommand(runner_);
  const std::string run = "/api/commands/" + id + "/run";

  // A manager cannot run; another org's device, an unknown one, a Windows one: refused, nothing queued.
  json devices = {{"devices", {d1["id"], d2["id"]}}};
  EXPECT_EQ(as(manager_, "POST", run, devices.dump()).status, 403);
  EXPECT_EQ(as(runner_, "POST", run, json{{"devices", {d1["id"], other["id"]}}}.dump()).status, 404);
  EXPECT_EQ(as(runner_, "POST", run, json{{"devices", {"0000nosuchdevice00000000"}}}.dump()).status, 404);
  EXPECT_EQ(as(runner_, "POST", run, json{{"devices", {win["id"]}}}.dump()).status, 409);
  EXPECT_EQ(as(runner_, "POST", run, json{{"devices", json::array()}}.dump()).status, 400);
  EXPECT_EQ(as(runner_, "POST", run, json{{"devices", {d1["id"], d1["id"]}}}.dump()).status, 400);
  EXPECT_EQ(as(runner_, "GET", "/api/commands/" + id + "/results").status, 200);
  EXPECT_EQ(body(as(runner_, "GET", "/api/commands/" + id + "/results"))["totalCount"], 0);

  auto queued = as(runner_, "POST", run, devices.dump());
  ASSERT_EQ(queued.status, 201) << queued.body;
  ASSERT_EQ(body(queued)["results"].size(), 2u);
  EXPECT_EQ(body(queued)["results"][0]["status"], "pending");
  const std::string r1 = body(queued)["results"][0]["id"], r2 = body(queued)["results"][1]["id"];

  // The other org's device gets nothing; device one gets the script.
  const auto checkin = [&](const json& d) {
    return call("POST", "/api/agent/v1/checkin", "", "{}", {{"x-device-key", d["deviceKey"].get<std::string>()}});
  };
  EXPECT_EQ(body(checkin(other))["commands"].size(), 0u);
  auto c1 = checkin(d1);
  ASSERT_EQ(c1.status, 200) << c1.body;
  const json handed = body(c1);
  ASSERT_EQ(handed["commands"].size(), 1u);
  const json cmd = handed["commands"][0];
  EXPECT_EQ(cmd["id"], r1);
  EXPECT_EQ(cmd["type"], "script");
  EXPECT_EQ(cmd["shell"], "bash");
  EXPECT_EQ(cmd["script"], "echo hi; exit 3");
  EXPECT_EQ(body(checkin(d1))["commands"].size(), 0u) << "handed out once";

  const auto result = [&](const json& d, const std::string& rid, const json& b) {
    return call("POST", "/api/agent/v1/commands/" + rid + "/result", "", b.dump(),
                {{"x-device-key", d["deviceKey"].get<std::string>()}});
  };
  // Device two cannot finish device one's result; a bad status is refused.
  EXPECT_EQ(result(d2, r1, {{"status", "done"}, {"exitCode", 0}}).status, 404);
  EXPECT_EQ(result(d1, r1, {{"status", "exploded"}}).status, 400);
  EXPECT_EQ(result(d1, r1, {{"status", "not_executed"}, {"exitCode", 1}}).status, 400);
  auto fin = result(d1, r1, {{"status", "done"}, {"exitCode", 3}, {"output", "hi\n"}});
  ASSERT_EQ(fin.status, 200) << fin.body;
  EXPECT_EQ(body(fin)["exitCode"], 3);
  EXPECT_EQ(result(d1, r1, {{"status", "done"}}).status, 404) << "finished already";

  // Device two reports 70 KiB of output: kept 64 KiB, truncated.
  ASSERT_EQ(body(checkin(d2))["commands"].size(), 1u);
  auto big = result(d2, r2, {{"status", "done"}, {"exitCode", 0}, {"output", std::string(70 * 1024, 'x')}});
  ASSERT_EQ(big.status, 200) << big.body;

  auto rs = as(manager_, "GET", "/api/commands/" + id + "/results");
  ASSERT_EQ(rs.status, 200) << rs.body;
  ASSERT_EQ(body(rs)["totalCount"], 2);
  const json listed = body(rs);
  for (const auto& r : listed["results"]) {
    if (r["id"] == r1) {
      EXPECT_EQ(r["device"], d1["id"]);
      EXPECT_EQ(r["status"], "done");
      EXPECT_EQ(r["exitCode"], 3);
      EXPECT_EQ(r["output"], "hi\n");
      EXPECT_EQ(r["truncated"], false);
    } else {
      EXPECT_EQ(r["device"], d2["id"]);
      EXPECT_EQ(r["output"].get<std::string>().size(), 64u * 1024);
      EXPECT_EQ(r["truncated"], true);
    }
  }
  auto one = as(manager_, "GET", "/api/commands/" + id + "/results?device=" + d1["id"].get<std::string>());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(body(one)["totalCount"], 1);

  int runs = 0, results = 0;
  for (const auto& e : activity(p_)) {
    runs += e.event_type == "command_run";
    if (e.event_type == "command_result") {
      ++results;
      EXPECT_EQ(e.initiated_by_type, "device");
      EXPECT_EQ(e.organization, a1_);
    }
  }
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(results, 2);
}

MTP_SERVICE_BACKENDS(CommandsTest);

}  // namespace
}  // namespace mtp::testing
