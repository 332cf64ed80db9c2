// Reports, on both backends: a request answers 202 pending with the orgs the requester reaches
// for the kind at request time; the report job's pass (app::buildPendingReports) makes it ready
// with a real file (CSV cells quoted and formula-defused, JSON rows), downloadable with
// Content-Type and Content-Disposition; a reader whose reach does not cover a report's orgs
// does not see it (404); Home's reports_ready counts real reports; old reports are purged.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/report_service.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class ReportsTest : public ServiceTest {};

TEST_P(ReportsTest, RequestBuildDownloadWithTheRequestersReach) {
  const auto p = createProvider("MSP");
  const auto a1 = createOrg(p, "Granted"), a2 = createOrg(p, "Other");
  const auto owner = createAdmin(p, SeedAdmin{"admin_billing", true, {}});
  const auto help = createAdmin(p, SeedAdmin{"help_desk", false, {SeedGrant{a1, "", std::nullopt}}});
  for (auto [org, name, first] : {std::tuple{a1, "alice", "=HYPERLINK(1)"}, std::tuple{a2, "bob", "Bob"}}) {
    json u = {{"username", name}, {"email", std::string(name) + "@client.example"}, {"firstname", first}};
    auto r = call("POST", "/api/systemusers", owner.token, u.dump(), {{"x-org-id", org}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  const std::string base = "/api/v2/providers/" + p + "/reports";

  // Bad requests.
  EXPECT_EQ(call("POST", base, owner.token, R"({"kind":"secrets","format":"csv"})").status, 400);
  EXPECT_EQ(call("POST", base, owner.token, R"({"kind":"users","format":"xls"})").status, 400);
  EXPECT_EQ(call("POST", base, owner.token, R"({"kind":"activity","format":"csv"})").status, 400);
  EXPECT_EQ(call("POST", base, help.token, json{{"kind", "users"}, {"format", "csv"}, {"organization", a2}}.dump()).status, 404);

  auto all = call("POST", base, owner.token, R"({"kind":"users","format":"csv"})");
  ASSERT_EQ(all.status, 202) << all.body;
  EXPECT_EQ(body(all)["status"], "pending");
  EXPECT_EQ(body(all)["organizations"].size(), 2u);
  const std::string all_id = body(all)["id"];
  auto mine = call("POST", base, help.token, R"({"kind":"users","format":"json"})");
  ASSERT_EQ(mine.status, 202) << mine.body;
  EXPECT_EQ(body(mine)["organizations"], json::array({a1}));
  const std::string mine_id = body(mine)["id"];

  EXPECT_EQ(call("GET", base + "/" + all_id + "/file", owner.token).status, 412) << "pending";
  auto built = app::buildPendingReports(app().store(), now());
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(*built, 2);

  auto got = call("GET", base + "/" + all_id, owner.token);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(body(got)["status"], "ready");
  EXPECT_EQ(body(got)["rowCount"], 2);
  auto file = call("GET", base + "/" + all_id + "/file", owner.token);
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.header("content-type").rfind("text/csv", 0), 0u);
  EXPECT_NE(file.header("content-disposition").find("attachment; filename=\"report-users-" + all_id + ".csv\""), std::string::npos);
  EXPECT_NE(file.body.find("'=HYPERLINK(1)"), std::string::npos) << file.body;
  EXPECT_NE(file.body.find("bob@client.example"), std::string::npos);

  // The help desk does not see the owner's report of both orgs; it sees its own, of a1 only.
  EXPECT_EQ(call("GET", base + "/" + all_id, help.token).status, 404);
  EXPECT_EQ(call("GET", base + "/" + all_id + "/file", help.token).status, 404);
  auto list = call("GET", base, help.token);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(body(list)["totalCount"], 1);
  auto jf = call("GET", base + "/" + mine_id + "/file", help.token);
  ASSERT_EQ(jf.status, 200) << jf.body;
  EXPECT_EQ(jf.header("content-type").rfind("application/json", 0), 0u);
  const auto rows = json::parse(jf.body);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["username"], "alice");
  EXPECT_EQ(body(call("GET", base, owner.token))["totalCount"], 2);

  // An activity summary for a period, and an admins report.
  json act = {{"kind", "activity"}, {"format", "json"}, {"from", "2000-01-01T00:00:00Z"}, {"to", "2100-01-01T00:00:00Z"}};
  ASSERT_EQ(call("POST", base, owner.token, act.dump()).status, 202);
  ASSERT_EQ(call("POST", base, owner.token, R"({"kind":"admins","format":"csv"})").status, 202);
  EXPECT_EQ(call("POST", base, help.token, R"({"kind":"admins","format":"csv"})").status, 202) << "help desk holds admins.read";
  ASSERT_EQ(app::buildPendingReports(app().store(), now()).value_or(-1), 3);
  const json listed = body(call("GET", base, owner.token));
  for (const auto& r : listed["results"]) {
    EXPECT_EQ(r["status"], "ready") << r.dump();
  }

  // Home's reports ready counts them (the owner reaches every org).
  auto home = call("GET", "/api/v2/providers/" + p + "/home", owner.token);
  ASSERT_EQ(home.status, 200) << home.body;
  const json widgets = body(home)["widgets"];
  for (const auto& w : widgets) {
    if (w["id"] == "reports_ready") {
      EXPECT_EQ(w["count"], 5);
    }
  }

  int requested = 0;
  for (const auto& e : activity(p)) requested += e.event_type == "report_requested";
  EXPECT_EQ(requested, 5);

  // Kept 30 days.
  EXPECT_EQ(app::purgeOldReports(app().store(), now()).value_or(-1), 0);
  EXPECT_EQ(app::purgeOldReports(app().store(), now() + 31 * 86400).value_or(-1), 5);
  EXPECT_EQ(call("GET", base + "/" + all_id, owner.token).status, 404);
}

MTP_SERVICE_BACKENDS(ReportsTest);

}  // namespace
}  // namespace mtp::testing
