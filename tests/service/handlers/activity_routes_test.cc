// The activity log over real HTTP on both backends: one event per mutation, filters,
// search_after paging, CSV downloads (quoting, formula neutralising) and the export action.
#include <ctime>

#include "app/activity_service.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

class ActivityRoutesTest : public ServiceTest {
 protected:
  // The activity of a provider without the access_denied events that denials write.
  std::vector<model::ActivityRecord> mutations(const std::string& p) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(p)) {
      if (e.event_type != "access_denied") out.push_back(std::move(e));
    }
    return out;
  }
  std::string path(const std::string& p, const std::string& query = "") {
    return "/api/v2/providers/" + p + "/activity" + (query.empty() ? "" : "?" + query);
  }
  static std::string rfc3339(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }
  std::vector<std::string> types(const nlohmann::json& page) {
    std::vector<std::string> out;
    for (const auto& e : page["results"]) out.push_back(e["eventType"]);
    return out;
  }
};

TEST_P(ActivityRoutesTest, EveryMutationIsOneEventNewestFirstWithItsFields) {
  auto p = createProvider("MSP");
  auto owner = createAdmin(p, SeedAdmin{"admin_billing", true});
  auto r = call("POST", "/api/v2/providers/" + p + "/organizations", owner.token, R"({"name":"Acme"})");
  ASSERT_EQ(r.status, 201);
  const std::string o = body(r)["id"];
  advance(5);
  ASSERT_EQ(call("PUT", "/api/v2/providers/" + p + "/organizations/" + o, owner.token, R"({"name":"Acme 2"})").status, 200);
  advance(5);
  ASSERT_EQ(call("PUT", "/api/v2/providers/" + p + "/settings", owner.token, R"({"requireAdminMFA":true})").status, 200);

  r = call("GET", path(p), owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(types(j), (std::vector<std::string>{"provider_update", "organization_update", "organization_create"}));
  EXPECT_FALSE(j.contains("searchAfter"));
  auto e = j["results"][1];
  EXPECT_EQ(e["initiatedBy"]["id"], owner.id);
  EXPECT_EQ(e["initiatedBy"]["type"], "admin");
  EXPECT_EQ(e["initiatedBy"]["email"], owner.email);
  EXPECT_EQ(e["organization"], o);
  EXPECT_EQ(e["resource"], (nlohmann::json{{"type", "organization"}, {"id", o}}));
  EXPECT_EQ(e["changes"], (nlohmann::json{{{"field", "name"}, {"from", "Acme"}, {"to", "Acme 2"}}}));
  EXPECT_EQ(e["clientIp"], "127.0.0.1");
  EXPECT_EQ(e["authMethod"], "session");
  EXPECT_EQ(e["success"], true);
  EXPECT_EQ(e["timestamp"], rfc3339(now() - 5));
  EXPECT_EQ(j["results"][0]["organization"], nullptr);

  // Another provider sees none of it; its pid in our path is 404.
  auto q = createProvider("Other");
  auto stranger = createAdmin(q, SeedAdmin{"admin_billing", true});
  EXPECT_TRUE(body(call("GET", path(q), stranger.token))["results"].empty());
  EXPECT_EQ(call("GET", path(p), stranger.token).status, 404);
}

TEST_P(ActivityRoutesTest, FiltersTimeRangeAndSearchAfterPaging) {
  auto p = createProvider("MSP");
  auto owner = createAdmin(p, SeedAdmin{"admin_billing", true});
  auto other = createAdmin(p, SeedAdmin{"admin_billing", true});
  const std::string orgs = "/api/v2/providers/" + p + "/organizations";
  const std::int64_t t0 = now();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto r = call("POST", orgs, i == 4 ? other.token : owner.token, R"({"name":"Org )" + std::to_string(i) + R"("})");
    ASSERT_EQ(r.status, 201);
    ids.push_back(body(r)["id"]);
    advance(10);
  }
  ASSERT_EQ(call("PUT", orgs + "/" + ids[0], owner.token, R"({"remoteAssist":true})").status, 200);

  auto j = body(call("GET", path(p, "event_type=organization_update"), owner.token));
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["organization"], ids[0]);
  j = body(call("GET", path(p, "organization=" + ids[0]), owner.token));
  EXPECT_EQ(types(j), (std::vector<std::string>{"organization_update", "organization_create"}));
  j = body(call("GET", path(p, "initiated_by=" + other.id), owner.token));
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["organization"], ids[4]);
  // [t0+10, t0+30): the events of orgs 1 and 2.
  j = body(call("GET", path(p, "start_time=" + rfc3339(t0 + 10) + "&end_time=" + rfc3339(t0 + 30)), owner.token));
  ASSERT_EQ(j["results"].size(), 2u);
  EXPECT_EQ(j["results"][0]["organization"], ids[2]);
  EXPECT_EQ(j["results"][1]["organization"], ids[1]);

  // Pages of 2 through all 6 events, each once, newest first.
  std::vector<std::string> seen;
  std::string after;
  for (int page = 0; page < 5; ++page) {
    auto r = call("GET", path(p, "limit=2" + (after.empty() ? "" : "&search_after=" + after)), owner.token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto page_body = body(r);
    for (const auto& e : page_body["results"]) seen.push_back(e["id"]);
    if (!page_body.contains("searchAfter")) break;
    after = page_body["searchAfter"];
  }
  ASSERT_EQ(seen.size(), 6u);
  auto all = body(call("GET", path(p), owner.token));
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(seen[i], all["results"][i]["id"]);

  for (const auto& bad : {"start_time=yesterday", "end_time=2026-13-01T00:00:00Z",
                          "start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", "limit=0",
                          "limit=1001", "search_after=garbage", "colour=red", "format=xml"}) {
    auto r = call("GET", path(p, bad), owner.token);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(body(r)["error"]["code"], "invalid_argument") << bad;
  }
}

TEST_P(ActivityRoutesTest, CsvDownloadQuotesAndNeutralisesFormulas) {
  auto p = createProvider("MSP");
  auto owner = createAdmin(p, SeedAdmin{"admin_billing", true});
  auto r = call("POST", "/api/v2/providers/" + p + "/organizations", owner.token,
                R"({"name":"=HYPERLINK(\"http://evil\"), Inc"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string o = body(r)["id"];

  for (const auto& [query, headers] :
       std::vector<std::pair<std::string, Headers>>{{"format=csv", {}}, {"", {{"Accept", "text/csv"}}}}) {
    r = call("GET", path(p, query), owner.token, "", headers);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type").substr(0, 8), "text/csv");
    EXPECT_NE(r.header("content-disposition").find("attachment"), std::string::npos);
    const auto first_line = r.body.substr(0, r.body.find("\r\n"));
    EXPECT_EQ(first_line,
              "id,timestamp,eventType,initiatedById,initiatedByType,initiatedByEmail,organization,"
              "resourceType,resourceId,changes,clientIp,authMethod,success");
    // The changes cell is JSON with quotes and a comma: quoted, quotes doubled.
    EXPECT_NE(r.body.find(",organization_create,"), std::string::npos);
    EXPECT_NE(r.body.find(R"("[{""field"":""name"",""from"":"""",""to"":""=HYPERLINK(\""http://evil\""), Inc""}]")"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("," + o + ","), std::string::npos);
  }
}

TEST(ActivityCsv, CellsStartingWithFormulaCharactersGetAQuote) {
  // The rendering itself, for cells that are not JSON (an email, an org name elsewhere).
  model::ActivityRecord e;
  e.id = "x";
  e.event_type = "=1+1";
  e.initiated_by_email = "@SUM(A1)";
  e.organization = "-2";
  e.resource_type = "+cmd";
  e.resource_id = "a\"b";
  e.client_ip = "line\nbreak";
  auto csv = app::activityCsv({e});
  auto row = csv.substr(csv.find("\r\n") + 2);
  EXPECT_NE(row.find(",'=1+1,"), std::string::npos) << row;
  EXPECT_NE(row.find(",'@SUM(A1),"), std::string::npos) << row;
  EXPECT_NE(row.find(",'-2,"), std::string::npos) << row;
  EXPECT_NE(row.find(",'+cmd,"), std::string::npos) << row;
  EXPECT_NE(row.find(",\"a\"\"b\","), std::string::npos) << row;
  EXPECT_NE(row.find(",\"line\nbreak\","), std::string::npos) << row;
}

TEST_P(ActivityRoutesTest, DownloadsNeedActivityExport) {
  auto p = createProvider("MSP");
  auto o = createOrg(p, "Acme");
  auto hd = createAdmin(p, SeedAdmin{"help_desk", false, {{o, ""}}});  // activity.read, no export
  auto ro = createAdmin(p, SeedAdmin{"read_only", true});              // activity.read and export
  auto runner = createAdmin(p, SeedAdmin{"command_runner", true});     // neither
  EXPECT_EQ(call("GET", path(p), hd.token).status, 200);
  auto r = call("GET", path(p, "format=csv"), hd.token);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(body(r)["error"].contains("decisionId"));
  EXPECT_EQ(call("GET", path(p), hd.token, "", {{"Accept", "text/csv"}}).status, 403);
  EXPECT_EQ(call("GET", path(p, "format=json"), hd.token).status, 403);
  EXPECT_EQ(call("GET", path(p, "format=csv"), ro.token).status, 200);
  r = call("GET", path(p, "format=json"), ro.token);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(body(r)["results"].is_array());
  EXPECT_EQ(call("GET", path(p), runner.token).status, 403);
}

MTP_SERVICE_BACKENDS(ActivityRoutesTest);

}  // namespace
}  // namespace mtp::testing
