// `mtpctl agent` end to end against a real mtpd (the fixture's, on loopback), both backends:
// the binary registers with the org's connect key (device key kept in its 0600 state file),
// checks in, answers the queued restart "done" without acting on the host, and the admin sees
// the command done; a second run reuses the state file (no second device). Saved commands:
// without --execute the script is answered not_executed; with it, `echo hi; exit 3` comes back
// as exit 3 and output "hi", a script past --command-timeout is killed (timed_out), and output
// past --output-cap is cut (truncated).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

#ifdef MTP_MTPCTL_BIN

using nlohmann::json;

struct Run {
  int code = -1;
  std::string out;
};

// Runs mtpctl with `args` (no shell metacharacters in them), capturing stdout.
Run mtpctl(const std::string& args) {
  Run r;
  const std::string cmd = std::string(MTP_MTPCTL_BIN) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  const int st = ::pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class AgentCtlTest : public ServiceTest {};

TEST_P(AgentCtlTest, RegistersChecksInAndAnswersCommandsWithoutActing) {
  const auto p = createProvider("MSP");
  const auto org = createOrg(p, "Client");
  const auto owner = createAdmin(p, SeedAdmin{"admin_billing", true, {}});
  auto k = call("GET", "/api/v2/providers/" + p + "/organizations/" + org + "/connectkey", owner.token);
  ASSERT_EQ(k.status, 200) << k.body;
  const std::string key = body(k)["connectKey"];
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mtp-agent-" + std::to_string(::getpid()) + "-" + GetParam());
  std::filesystem::create_directories(dir);
  const std::string state = (dir / "agent.json").string();
  std::filesystem::remove(state);
  const std::string server = "--server http://127.0.0.1:" + std::to_string(port());

  // First run: registers, checks in once, nothing queued.
  auto first = mtpctl("agent " + server + " --connect-key " + key + " --state " + state + " --hostname agent-host");
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_NE(first.out.find("registered device"), std::string::npos) << first.out;
  std::ifstream in(state);
  const auto st = json::parse(in);
  const std::string device = st["deviceId"];
  EXPECT_EQ(first.out.find(st["deviceKey"].get<std::string>()), std::string::npos) << "the key was printed";
  struct stat sb {};
  ASSERT_EQ(::stat(state.c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0600u);

  auto queued = call("POST", "/api/systems/" + device + "/command/builtin/restart", owner.token, "", {{"x-org-id", org}});
  ASSERT_EQ(queued.status, 201) << queued.body;
  const std::string cid = body(queued)["id"];

  // Second run: the state file is reused (no connect key needed), twice one second apart.
  auto second = mtpctl("agent " + server + " --state " + state + " --every 1 --times 2");
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_NE(second.out.find("command " + cid + " restart done"), std::string::npos) << second.out;
  EXPECT_EQ(second.out.find("registered device"), std::string::npos) << second.out;

  auto cmds = call("GET", "/api/systems/" + device + "/commands", owner.token, "", {{"x-org-id", org}});
  ASSERT_EQ(cmds.status, 200) << cmds.body;
  EXPECT_EQ(body(cmds)["results"][0]["status"], "done");
  EXPECT_NE(body(cmds)["results"][0]["output"].get<std::string>().find("not performed"), std::string::npos);
  auto list = call("GET", "/api/v2/providers/" + p + "/devices", owner.token);
  EXPECT_EQ(body(list)["totalCount"], 1);
  EXPECT_EQ(body(list)["results"][0]["hostname"], "agent-host");

  // A wrong connect key and no state: refused (1), nothing written.
  const std::string other = (dir / "other.json").string();
  auto bad = mtpctl("agent " + server + " --connect-key ck_wrong --state " + other);
  EXPECT_EQ(bad.code, 1) << bad.out;
  EXPECT_FALSE(std::filesystem::exists(other));
  std::filesystem::remove_all(dir);
}

TEST_P(AgentCtlTest, ExecuteRunsSavedCommandsWithTimeoutAndOutputCap) {
  const auto p = createProvider("MSP");
  const auto org = createOrg(p, "Client");
  const auto owner = createAdmin(p, SeedAdmin{"admin_billing", true, {}});
  const auto runner = createAdmin(p, SeedAdmin{"command_runner", false, {SeedGrant{org, "", std::nullopt}}});
  auto k = call("GET", "/api/v2/providers/" + p + "/organizations/" + org + "/connectkey", owner.token);
  ASSERT_EQ(k.status, 200) << k.body;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mtp-agent-exec-" + std::to_string(::getpid()) + "-" + GetParam());
  std::filesystem::create_directories(dir);
  const std::string state = (dir / "agent.json").string();
  std::filesystem::remove(state);
  const std::string agent = "agent --server http://127.0.0.1:" + std::to_string(port()) + " --state " + state;
  auto reg = mtpctl(agent + " --connect-key " + body(k)["connectKey"].get<std::string>());
  ASSERT_EQ(reg.code, 0) << reg.out;
  std::ifstream in(state);
  const std::string device = json::parse(in)["deviceId"];

  const Headers h = {{"x-org-id", org}};
  // Saves a command with `script`, runs it on the device, runs the agent with `flags`, and
  // answers the device's result.
  auto runWith = [&](const std::string& script, const std::string& flags) -> json {
    auto c = call("POST", "/api/commands", runner.token,
                  json{{"name", "t"}, {"targetOS", "linux"}, {"shell", "sh"}, {"script", script}}.dump(), h);
    EXPECT_EQ(c.status, 201) << c.body;
    const std::string id = body(c)["id"];
    auto r = call("POST", "/api/commands/" + id + "/run", runner.token, json{{"devices", {device}}}.dump(), h);
    EXPECT_EQ(r.status, 201) << r.body;
    auto run = mtpctl(agent + " " + flags);
    EXPECT_EQ(run.code, 0) << run.out;
    auto rs = call("GET", "/api/commands/" + id + "/results", runner.token, "", h);
    EXPECT_EQ(rs.status, 200) << rs.body;
    return body(rs)["results"][0];
  };

  auto off = runWith("echo hi; exit 3", "");
  EXPECT_EQ(off["status"], "not_executed");
  EXPECT_TRUE(off["exitCode"].is_null());

  auto ran = runWith("echo hi; exit 3", "--execute");
  EXPECT_EQ(ran["status"], "done");
  EXPECT_EQ(ran["exitCode"], 3);
  EXPECT_EQ(ran["output"], "hi\n");
  EXPECT_EQ(ran["truncated"], false);

  const auto t0 = std::chrono::steady_clock::now();
  auto slow = runWith("echo started; sleep 30", "--execute --command-timeout 1");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
  EXPECT_EQ(slow["status"], "timed_out");
  EXPECT_TRUE(slow["exitCode"].is_null());
  EXPECT_EQ(slow["output"].get<std::string>().rfind("started\n", 0), 0u) << slow["output"];

  auto capped = runWith("i=0; while [ $i -lt 500 ]; do echo 0123456789; i=$((i+1)); done", "--execute --output-cap 100");
  EXPECT_EQ(capped["status"], "done");
  EXPECT_EQ(capped["exitCode"], 0);
  EXPECT_EQ(capped["output"].get<std::string>().size(), 100u);
  EXPECT_EQ(capped["truncated"], true);
  std::filesystem::remove_all(dir);
}

MTP_SERVICE_BACKENDS(AgentCtlTest);

#endif  // MTP_MTPCTL_BIN

}  // namespace
}  // namespace mtp::testing
