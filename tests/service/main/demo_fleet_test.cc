// `mtpd --demo`'s managed fleet, on both backends: after seedDemo and seedDemoFleet every
// Home widget of the owner is non-empty; the help desk (two orgs) sees only its orgs' lockouts,
// finds a locked user in the cross-org list, unlocks it, and the widget drops by one; a device
// enrolled with the printed connect key picks up the restart the help desk queued.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/report_service.h"
#include "main/demo.h"
#include "main/demo_fleet.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class DemoFleetTest : public ServiceTest {
 protected:
  std::string tokenOf(const service::DemoOutcome& d, const std::string& role) {
    for (const auto& l : d.logins) {
      if (l.role != role) continue;
      auto r = call("POST", "/api/v2/auth/login", "",
                    json{{"email", l.email}, {"password", l.password}}.dump());
      EXPECT_EQ(r.status, 200) << r.body;
      return body(r).value("token", "");
    }
    ADD_FAILURE() << "no demo login " << role;
    return "";
  }
  std::map<std::string, std::int64_t> home(const std::string& pid, const std::string& token) {
    auto r = call("GET", "/api/v2/providers/" + pid + "/home", token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, std::int64_t> out;
    const json b = body(r);
    for (const auto& w : b["widgets"]) out[w["id"].get<std::string>()] = w["count"].get<std::int64_t>();
    return out;
  }
};

TEST_P(DemoFleetTest, HomeIsFullAndAHelpDeskMorningWorks) {
  auto d = service::seedDemo(app().store(), app().passwords());
  ASSERT_TRUE(d.has_value()) << d.error();
  refresh();
  auto fleet = service::seedDemoFleet(app(), *d);
  ASSERT_TRUE(fleet.has_value()) << fleet.error();
  EXPECT_EQ(fleet->users, 32);
  EXPECT_EQ(fleet->devices, 12);
  EXPECT_NE(service::demoFleetBanner(*fleet, "http://x").find(fleet->connect_key), std::string::npos);

  // The demo requests one users report per org; mtpd's report job builds them (run here once).
  auto built = app::buildPendingReports(app().store(), app().now());
  ASSERT_TRUE(built.has_value());
  EXPECT_GT(*built, 0);

  const std::string pid = d->provider_id;
  auto owner = home(pid, tokenOf(*d, "admin_billing"));
  EXPECT_EQ(owner.size(), 18u);  // with total_users and total_organizations
  for (const auto& [id, count] : owner) EXPECT_GT(count, 0) << id;
  EXPECT_EQ(owner["user_lockouts"], 4);  // one per org

  const std::string help = tokenOf(*d, "help_desk");
  auto before = home(pid, help);
  EXPECT_EQ(before["user_lockouts"], 2);  // its two orgs only
  EXPECT_EQ(before.count("admins_without_mfa"), 1u);

  auto locked = call("GET", "/api/v2/providers/" + pid + "/users?filter=account_locked:eq:true", help);
  ASSERT_EQ(locked.status, 200) << locked.body;
  const json page = body(locked);
  ASSERT_EQ(page["totalCount"], 2);
  const json user = page["results"][0];
  json unlock = {{"action", "unlock"},
                 {"users", json::array({{{"organization", user["organization"]}, {"id", user["id"]}}})}};
  auto done = call("POST", "/api/v2/providers/" + pid + "/users/actions", help, unlock.dump());
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(body(done)["results"][0]["status"], 200) << done.body;
  EXPECT_EQ(home(pid, help)["user_lockouts"], 1);

  // A device enrolls with the printed connect key; the help desk restarts it; it checks in.
  json reg = {{"connectKey", fleet->connect_key}, {"hostname", "laptop-7"}, {"os", "Ubuntu 24.04"},
              {"osFamily", "linux"}, {"version", "1.0.0"}};
  auto r = call("POST", "/api/agent/v1/register", "", reg.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const json device = body(r);
  const std::string org = device.value("organization", "");
  auto cmd = call("POST", "/api/systems/" + device["id"].get<std::string>() + "/command/builtin/restart",
                  help, "", {{"x-org-id", org}});
  ASSERT_EQ(cmd.status, 201) << cmd.body;
  auto in = call("POST", "/api/agent/v1/checkin", "", json{{"uptimeSeconds", 60}}.dump(),
                 {{"x-device-key", device["deviceKey"].get<std::string>()}});
  ASSERT_EQ(in.status, 200) << in.body;
  const json cmds = body(in)["commands"];
  ASSERT_EQ(cmds.size(), 1u) << in.body;
  EXPECT_EQ(cmds[0]["type"], "restart");
}

MTP_SERVICE_BACKENDS(DemoFleetTest);

}  // namespace
}  // namespace mtp::testing
