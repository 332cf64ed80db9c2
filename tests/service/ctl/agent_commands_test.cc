// `mtpctl agent` end to end against a real mtpd (the fixture's, on loopback), both backends:
// the binary registers with the org's connect key (device key kept in its 0600 state file),
// checks in, answers the queued restart "done" without acting on the host, and the admin sees
// the command done; a second run reuses the state file (no second device).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
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

MTP_SERVICE_BACKENDS(AgentCtlTest);

#endif  // MTP_MTPCTL_BIN

}  // namespace
}  // namespace mtp::testing
