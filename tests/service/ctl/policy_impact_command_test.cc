// `mtpctl policy impact` end to end on both backends: mtpd (the fixture) writes its decision
// log while real requests are made; the real mtpctl replays that log against the fixture's
// database (--directory URL) under the shipped roles and under a candidate with a new forbid,
// and reports exactly those requests, with exit 1; unchanged policies report nothing, exit 0.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

#ifdef MTP_MTPCTL_BIN

namespace fs = std::filesystem;

struct Ran {
  int code = -1;
  std::string out;
};

Ran run(const std::string& args) {
  Ran r;
  FILE* p = ::popen((std::string(MTP_MTPCTL_BIN) + " " + args + " 2>/dev/null").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  const int st = ::pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

fs::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? d : fs::current_path();
}

class PolicyImpactTest : public ServiceTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    static int n = 0;
    dir_ = fs::temp_directory_path() / ("mtp_impact_ctl_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "candidate");
    fs::copy_file(sourceDir() / "policies" / "builtin" / "roles.yaml", dir_ / "candidate" / "roles.yaml");
    std::ofstream(dir_ / "candidate" / "freeze.yaml") << "policies:\n"
                                                         "  - id: no-user-reads-in-freeze\n"
                                                         "    effect: forbid\n"
                                                         "    actions: [users.read]\n"
                                                         "    when: org.tags contains \"change-freeze\"\n";
    o.decision_log.path = (dir_ / "decisions.log").string();
  }
  void TearDown() override {
    ServiceTest::TearDown();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string common() const {
    return " --current '" + (sourceDir() / "policies" / "builtin").string() + "' --log '" +
           (dir_ / "decisions.log").string() + "' --directory '" + databaseUrl() + "'";
  }
  std::size_t logLines() {
    std::ifstream in(dir_ / "decisions.log");
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) ++n;
    return n;
  }
  fs::path dir_;
};

TEST_P(PolicyImpactTest, ReplaysTheServicesLogAgainstItsDatabase) {
  const auto p = createProvider("A");
  const auto calm = createOrg(p, "Calm");
  const auto frozen = createOrg(p, "Frozen", {"change-freeze"});
  auto hd = createAdmin(p, SeedAdmin{.role = "help_desk", .all_organizations = true});
  auto listUsers = [&](const std::string& org) {
    return call("GET", "/api/systemusers", hd.token, "", Headers{{"x-org-id", org}}).status;
  };
  ASSERT_EQ(listUsers(calm), 200);
  ASSERT_EQ(listUsers(frozen), 200);
  ASSERT_EQ(listUsers(frozen), 200);
  for (int i = 0; i < 500 && logLines() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(logLines(), 3u);

  const Ran same = run("policy impact" + common() + " --candidate '" + (sourceDir() / "policies" / "builtin").string() + "'");
  EXPECT_EQ(same.code, 0) << same.out;
  EXPECT_NE(same.out.find("allowed -> denied: 0"), std::string::npos) << same.out;

  const Ran changed = run("policy impact" + common() + " --candidate '" + (dir_ / "candidate").string() + "' --format json");
  EXPECT_EQ(changed.code, 1) << changed.out;
  const auto j = nlohmann::json::parse(changed.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << changed.out;
  EXPECT_EQ(j["allowedToDenied"]["count"], 2) << changed.out;
  EXPECT_EQ(j["allowedToDenied"]["byOrg"][0]["key"], frozen);
  EXPECT_EQ(j["allowedToDenied"]["byAdmin"][0]["key"], hd.id);
  EXPECT_EQ(j["allowedToDenied"]["byPolicy"][0]["key"], "no-user-reads-in-freeze");
  EXPECT_EQ(j["deniedToAllowed"]["count"], 0);
}

MTP_SERVICE_BACKENDS(PolicyImpactTest);

#endif  // MTP_MTPCTL_BIN

}  // namespace
}  // namespace mtp::testing
