// `mtpctl seed` end to end on both backends: the real binary fills the fixture's database
// (COPY on PostgreSQL, prepared inserts on SQLite), then everything is read back through
// mtpd's REST routes: sign-in of the seeded admins with the seed password, user, device and
// org counts per provider, the help_desk admin's exactly-20-org reach, the varied states.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

#ifdef MTP_MTPCTL_BIN

using nlohmann::json;

constexpr const char* kSeedPassword = "seed password for load tests";

struct Seeded {
  int code = -1;
  std::string out;
  std::map<std::string, std::string> kv;  // the key=value lines of stdout
};

// Runs `mtpctl seed --db URL ARGS` (ARGS without shell metacharacters), with the seed
// password unless ARGS give one.
Seeded runSeed(const std::string& url, const std::string& args) {
  Seeded s;
  std::string cmd = std::string(MTP_MTPCTL_BIN) + " seed --db '" + url + "' " + args;
  if (args.find("--owner-password") == std::string::npos) {
    cmd += std::string(" --owner-password '") + kSeedPassword + "'";
  }
  cmd += " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return s;
  std::array<char, 1024> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) {
    std::string line = buf.data();
    s.out += line;
    while (!line.empty() && line.back() == '\n') line.pop_back();
    if (auto eq = line.find('='); eq != std::string::npos && line.rfind("mtpctl", 0) != 0) {
      s.kv[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  const int st = ::pclose(p);
  s.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return s;
}

class SeedTest : public ServiceTest {
 protected:
  std::string login(const std::string& email) {
    auto r = call("POST", "/api/v2/auth/login", "",
                  json{{"email", email}, {"password", kSeedPassword}}.dump());
    EXPECT_EQ(r.status, 200) << email << ": " << r.body;
    if (r.status != 200) return "";
    EXPECT_EQ(body(r)["scope"], "full") << r.body;
    return body(r)["token"].get<std::string>();
  }
  long long total(const std::string& path, const std::string& token) {
    auto r = call("GET", path, token);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.status == 200 ? body(r)["totalCount"].get<long long>() : -1;
  }
};

TEST_P(SeedTest, SmallSeedReadsBackThroughTheApi) {
  auto s = runSeed(databaseUrl(),
                   "--orgs 5 --users-per-org 10 --devices-per-org 4 --admins 4 --provider-name Seeded");
  ASSERT_EQ(s.code, 0) << s.out;
  EXPECT_EQ(s.kv["password"], kSeedPassword);
  EXPECT_EQ(s.kv["orgs"], "5");
  EXPECT_EQ(s.kv["users"], "50");
  EXPECT_EQ(s.kv["devices"], "20");
  EXPECT_EQ(s.kv["admins"], "4");
  const std::string p = s.kv["provider"];
  ASSERT_FALSE(p.empty()) << s.out;
  refresh();  // as SIGHUP does for a running mtpd

  const std::string base = "/api/v2/providers/" + p;
  const auto owner = login(s.kv["owner_email"]);
  auto prov = call("GET", base, owner);
  ASSERT_EQ(prov.status, 200) << prov.body;
  EXPECT_EQ(body(prov)["name"], "Seeded");
  EXPECT_EQ(total(base + "/users?limit=1", owner), 50);
  EXPECT_EQ(total(base + "/devices?limit=1", owner), 20);
  EXPECT_EQ(total(base + "/organizations?limit=1", owner), 5);
  EXPECT_EQ(total(base + "/administrators?limit=1", owner), 5);  // the owner and 4 seeded

  const auto all = login(s.kv["admin_all_orgs"]);
  EXPECT_EQ(total(base + "/users?limit=1", all), 50);
  EXPECT_EQ(total(base + "/devices?limit=1", all), 20);
  EXPECT_EQ(total(base + "/organizations?limit=1", all), 5);

  // The help_desk admin has min(20, orgs) = 5 orgs.
  const auto twenty = login(s.kv["admin_20_orgs"]);
  EXPECT_EQ(total(base + "/organizations?limit=1", twenty), 5);
  EXPECT_EQ(total(base + "/users?limit=1", twenty), 50);

  // Every org has its own 10 users and 4 devices; a user reads back whole by x-org-id.
  auto orgs = call("GET", base + "/organizations?limit=100", owner);
  ASSERT_EQ(orgs.status, 200);
  const auto org_page = body(orgs);  // (a range-for over a temporary's member dangles)
  for (const auto& o : org_page["results"]) {
    const std::string id = o["id"];
    EXPECT_EQ(total(base + "/users?limit=1&filter=organization:eq:" + id, all), 10);
    EXPECT_EQ(total(base + "/devices?limit=1&filter=organization:eq:" + id, all), 4);
  }
  auto users = call("GET", base + "/users?limit=3", all);
  ASSERT_EQ(users.status, 200);
  const auto user_page = body(users);
  for (const auto& u : user_page["results"]) {
    const std::string org = u["organization"];
    auto one = call("GET", "/api/systemusers/" + u["_id"].get<std::string>(), all, "",
                    {{"x-org-id", org}});
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(body(one)["username"], u["username"]);
  }
}

TEST_P(SeedTest, TheHelpDeskAdminReachesExactlyTwentyOrgsAndStatesVary) {
  auto s = runSeed(databaseUrl(), "--orgs 30 --users-per-org 4 --devices-per-org 4 --admins 12");
  ASSERT_EQ(s.code, 0) << s.out;
  const std::string p = s.kv["provider"];
  refresh();
  const std::string base = "/api/v2/providers/" + p;
  const auto all = login(s.kv["admin_all_orgs"]);
  const auto twenty = login(s.kv["admin_20_orgs"]);
  EXPECT_EQ(total(base + "/organizations?limit=1", all), 30);
  EXPECT_EQ(total(base + "/users?limit=1", all), 120);
  EXPECT_EQ(total(base + "/organizations?limit=1", twenty), 20);
  EXPECT_EQ(total(base + "/users?limit=1", twenty), 80);
  EXPECT_EQ(total(base + "/devices?limit=1", twenty), 80);

  // Realistic variety: each of these is a few percent of the users (or devices).
  for (const char* f : {"state:eq:STAGED", "state:eq:SUSPENDED", "state:eq:ACTIVATED",
                        "account_locked:eq:true", "password_expired:eq:true", "sudo:eq:true",
                        "passwordless_sudo:eq:true", "totp_enabled:eq:true"}) {
    const auto n = total(base + "/users?limit=1&filter=" + std::string(f), all);
    EXPECT_GT(n, 0) << f;
    EXPECT_LT(n, 120) << f;
  }
  for (const char* f : {"active:eq:true", "active:eq:false"}) {
    const auto n = total(base + "/devices?limit=1&filter=" + std::string(f), all);
    EXPECT_GT(n, 0) << f;
    EXPECT_LT(n, 120) << f;
  }

  // A second seed is another provider: nothing clashes, the first keeps its rows.
  auto again = runSeed(databaseUrl(), "--orgs 2 --users-per-org 3 --devices-per-org 1 --admins 2");
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.kv["provider"], p);
  refresh();
  EXPECT_EQ(total(base + "/users?limit=1", all), 120);
  const auto other = login(again.kv["admin_all_orgs"]);
  EXPECT_EQ(total("/api/v2/providers/" + again.kv["provider"] + "/users?limit=1", other), 6);
  // Tenant isolation holds for seeded rows: another provider's admin sees a 404.
  EXPECT_EQ(call("GET", base + "/users?limit=1", other).status, 404);
}

TEST_P(SeedTest, RefusesAWeakPasswordAndAnUnknownDatabase) {
  auto weak = runSeed(databaseUrl(), "--orgs 1 --owner-password short");
  EXPECT_EQ(weak.code, 2) << weak.out;
  auto bad = runSeed("mysql://nowhere", "--orgs 1");
  EXPECT_EQ(bad.code, 2) << bad.out;
}

MTP_SERVICE_BACKENDS(SeedTest);

#endif  // MTP_MTPCTL_BIN

}  // namespace
}  // namespace mtp::testing
