// Issue 11 item 1, the resources 011 left (schema 016), on both backends over real HTTP:
// provider settings, billing information, an org's password policy and MDM dates, the
// admin's Home layout, saved commands, PSA integrations (and their mappings) and a user's
// schedules. Each GET and PUT answers `ETag: "<version>"` ("0" for a document never stored);
// a stale If-Match answers 412 precondition_failed and writes nothing (no event); no If-Match
// writes as before. Concurrent writers: with the same If-Match exactly one wins each round;
// without one, writers of different fields both land (no lost update).
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <utility>
#include <thread>

#include "app/admin_text.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class SettingsEtagTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFailure() || IsSkipped()) return;
    p = createProvider("MSP");
    o = createOrg(p, "Org One");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  }
  std::string prov() const { return "/api/v2/providers/" + p; }
  std::string org() const { return prov() + "/organizations/" + o; }
  int events(const std::string& type) {
    int n = 0;
    for (const auto& e : activity(p)) n += e.event_type == type;
    return n;
  }
  HttpResponse put(const std::string& path, const json& b, const std::string& if_match = "",
                   Headers extra = {}) {
    if (!if_match.empty()) extra.emplace_back("If-Match", if_match);
    return call("PUT", path, owner.token, b.dump(), extra);
  }
  // The common contract of a versioned document at `get` (PUT at `put_path`): its ETag is
  // `first`; `a` with it writes (a new ETag, one `event`), `b` with the stale one answers 412
  // and writes nothing, `b` without If-Match writes.
  void expectContract(const std::string& get, const std::string& put_path, const std::string& first,
                      const json& a, const json& b, const std::string& event, const Headers& extra = {}) {
    SCOPED_TRACE(put_path);
    auto r = call("GET", get, owner.token, "", extra);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.header("etag"), first);
    const int before = events(event);
    r = put(put_path, a, first, extra);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string next = r.header("etag");
    EXPECT_NE(next, first);
    EXPECT_FALSE(next.empty());
    EXPECT_EQ(call("GET", get, owner.token, "", extra).header("etag"), next);
    EXPECT_EQ(events(event), before + 1);
    const std::string after_a = call("GET", get, owner.token, "", extra).body;

    r = put(put_path, b, first, extra);
    EXPECT_EQ(r.status, 412) << r.body;
    EXPECT_EQ(body(r)["error"]["code"], "precondition_failed");
    EXPECT_EQ(call("GET", get, owner.token, "", extra).body, after_a);
    EXPECT_EQ(events(event), before + 1);

    r = put(put_path, b, "", extra);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.header("etag"), next);
    EXPECT_EQ(events(event), before + 2);
  }
  // Rounds of two PUTs at once with the same If-Match: exactly one 200 and one 412.
  void expectOneWinner(const std::string& get, const std::string& put_path,
                       const std::function<json(int, int)>& body_of, const Headers& extra = {}) {
    SCOPED_TRACE(put_path);
    for (int round = 0; round < 6; ++round) {
      const std::string etag = call("GET", get, owner.token, "", extra).header("etag");
      ASSERT_FALSE(etag.empty());
      HttpResponse a, b;
      std::thread ta([&] { a = put(put_path, body_of(round, 0), etag, extra); });
      std::thread tb([&] { b = put(put_path, body_of(round, 1), etag, extra); });
      ta.join();
      tb.join();
      ASSERT_TRUE((a.status == 200 && b.status == 412) || (a.status == 412 && b.status == 200))
          << "round " << round << ": " << a.status << " " << a.body << " / " << b.status << " " << b.body;
    }
  }
  std::string p, o;
  SeededAdmin owner;
};

TEST_P(SettingsEtagTest, ProviderSettings) {
  auto r = call("GET", prov(), owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("etag"), "\"1\"");
  EXPECT_EQ(body(r)["version"], 1);
  expectContract(prov(), prov() + "/settings", "\"1\"", {{"requireAdminMFA", true}},
                 {{"requireAdminMFA", false}}, "provider_update");
}

TEST_P(SettingsEtagTest, BillingInformationStartsAtZero) {
  const std::string info = prov() + "/billing/information";
  auto r = call("GET", info, owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["stored"], false);
  EXPECT_EQ(body(r)["version"], 0);
  // Not stored yet: only "0" matches.
  EXPECT_EQ(put(info, {{"name", "Early"}}, "\"1\"").status, 412);
  expectContract(info, info, "\"0\"", {{"name", "Acme"}, {"city", "Lyon"}}, {{"name", "Stale"}},
                 "billing_information_update");
  EXPECT_EQ(body(call("GET", info, owner.token))["version"], 2);
}

TEST_P(SettingsEtagTest, PasswordPolicy) {
  const std::string policy = org() + "/password-policy";
  EXPECT_EQ(body(call("GET", policy, owner.token))["version"], 0);
  expectContract(policy, policy, "\"0\"", {{"lockoutAfterFailures", 3}}, {{"lockoutAfterFailures", 9}},
                 "organization_password_policy_update");
  // A PUT that changes nothing keeps the version.
  const std::string etag = call("GET", policy, owner.token).header("etag");
  auto r = put(policy, {{"lockoutAfterFailures", 9}}, etag);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("etag"), etag);
}

TEST_P(SettingsEtagTest, MdmDatesHaveTheirOwnVersion) {
  const std::string mdm = org() + "/mdm";
  const std::string t1 = app::formatRfc3339(now() + 40 * 86400), t2 = app::formatRfc3339(now() + 80 * 86400);
  expectContract(mdm, mdm, "\"0\"", {{"apnsCertificateExpiresAt", t1}}, {{"vppTokenExpiresAt", t2}},
                 "organization_update");
  // The org's own ETag is not the MDM dates': an MDM change leaves it, a rename leaves theirs.
  EXPECT_EQ(call("GET", org(), owner.token).header("etag"), "\"1\"");
  const std::string mdm_etag = call("GET", mdm, owner.token).header("etag");
  ASSERT_EQ(put(org(), {{"name", "Renamed"}}).status, 200);
  EXPECT_EQ(call("GET", mdm, owner.token).header("etag"), mdm_etag);
}

TEST_P(SettingsEtagTest, HomeLayout) {
  auto r = call("GET", "/api/v2/me/home", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("etag"), "\"0\"");
  const json widgets = body(r)["widgets"];
  ASSERT_GE(widgets.size(), 2u);
  expectContract("/api/v2/me/home", "/api/v2/me/home", "\"0\"", {{"widgets", {widgets[0]}}},
                 {{"widgets", {widgets[1]}}}, "home_settings_update");
  // The document as GET answered it (with its `version`) may be sent back as it is (the web
  // UI does): the field is ignored.
  auto doc = body(call("GET", "/api/v2/me/home", owner.token));
  ASSERT_TRUE(doc.contains("version"));
  auto same = put("/api/v2/me/home", doc);
  EXPECT_EQ(same.status, 200) << same.body;
}

TEST_P(SettingsEtagTest, SavedCommands) {
  const Headers in_org = {{"x-org-id", o}};
  auto r = call("POST", "/api/commands", owner.token,
                R"({"name":"Hello","targetOS":"linux","shell":"bash","script":"true"})", in_org);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("etag"), "\"1\"");
  const std::string one = "/api/commands/" + body(r)["id"].get<std::string>();
  expectContract(one, one, "\"1\"", {{"name", "Renamed"}}, {{"script", "false"}}, "command_updated", in_org);
  // DELETE: a stale If-Match keeps it, the current one deletes it.
  Headers stale = in_org, current = in_org;
  stale.emplace_back("If-Match", "\"1\"");
  current.emplace_back("If-Match", call("GET", one, owner.token, "", in_org).header("etag"));
  EXPECT_EQ(call("DELETE", one, owner.token, "", stale).status, 412);
  EXPECT_EQ(events("command_deleted"), 0);
  EXPECT_EQ(call("DELETE", one, owner.token, "", current).status, 204);
  EXPECT_EQ(events("command_deleted"), 1);
}

TEST_P(SettingsEtagTest, IntegrationAndItsMappings) {
  const std::string cw = prov() + "/integrations/connectwise";
  const json config = {{"siteUrl", "https://psa.example"}, {"companyId", "acme"}, {"clientId", "c1"},
                       {"publicKey", "pub"}, {"privateKey", "privSECRETvalue42"}};
  // Not configured: version 0; its mappings show it.
  EXPECT_EQ(call("GET", cw + "/mappings", owner.token).header("etag"), "\"0\"");
  EXPECT_EQ(put(cw, config, "\"1\"").status, 412);
  auto r = put(cw, config, "\"0\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("etag"), "\"1\"");
  EXPECT_EQ(body(r)["version"], 1);
  EXPECT_EQ(put(cw, config, "\"0\"").status, 412);  // configured meanwhile
  // The mappings are part of it: a new set raises its version.
  const json maps = {{"mappings", {{{"organization", o}, {"psaCompanyId", "7"}, {"agreementId", "1"},
                                     {"additionId", "2"}}}}};
  EXPECT_EQ(put(cw + "/mappings", maps, "\"0\"").status, 412);
  EXPECT_EQ(events("integration_mappings_update"), 0);
  r = put(cw + "/mappings", maps, "\"1\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("etag"), "\"2\"");
  EXPECT_EQ(call("GET", cw + "/mappings", owner.token).header("etag"), "\"2\"");
  auto list = body(call("GET", prov() + "/integrations", owner.token));
  bool seen = false;
  for (const auto& i : list["results"]) {
    if (i["kind"] == "connectwise") {
      EXPECT_EQ(i["version"], 2) << i.dump();
      seen = true;
    }
  }
  EXPECT_TRUE(seen) << list.dump();
  // DELETE with a stale version keeps it; with the current one removes it.
  EXPECT_EQ(call("DELETE", cw, owner.token, "", {{"If-Match", "\"1\""}}).status, 412);
  EXPECT_EQ(events("integration_delete"), 0);
  EXPECT_EQ(call("DELETE", cw, owner.token, "", {{"If-Match", "\"2\""}}).status, 204);
  EXPECT_EQ(events("integration_delete"), 1);
}

TEST_P(SettingsEtagTest, UserSchedulesUseTheUsersVersion) {
  const Headers in_org = {{"x-org-id", o}};
  auto r = call("POST", "/api/systemusers", owner.token, R"({"username":"alice"})", in_org);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string user = "/api/systemusers/" + body(r)["id"].get<std::string>();
  const std::string etag = call("GET", user, owner.token, "", in_org).header("etag");
  ASSERT_FALSE(etag.empty());
  const json at = {{"start_date", app::formatRfc3339(now() + 3 * 86400)}};
  Headers stale = in_org;
  stale.emplace_back("If-Match", "\"999\"");
  EXPECT_EQ(call("PUT", user + "/schedule/activation", owner.token, at.dump(), stale).status, 412);
  EXPECT_EQ(events("user_update"), 0);
  Headers current = in_org;
  current.emplace_back("If-Match", etag);
  r = call("PUT", user + "/schedule/activation", owner.token, at.dump(), current);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string next = r.header("etag");
  EXPECT_NE(next, etag);
  EXPECT_EQ(call("GET", user, owner.token, "", in_org).header("etag"), next);
  // The old version no longer clears it.
  EXPECT_EQ(call("DELETE", user + "/schedule/activation", owner.token, "", current).status, 412);
  Headers now_current = in_org;
  now_current.emplace_back("If-Match", next);
  EXPECT_EQ(call("DELETE", user + "/schedule/activation", owner.token, "", now_current).status, 200);
  EXPECT_EQ(events("user_update"), 2);
}

// Two writers with the same If-Match, many rounds, on every document: one 200, one 412.
TEST_P(SettingsEtagTest, ConcurrentPutsWithTheSameIfMatchOneWins) {
  expectOneWinner(prov() + "/billing/information", prov() + "/billing/information", [](int round, int who) {
    return json{{"name", "N" + std::to_string(round) + "-" + std::to_string(who)}};
  });
  expectOneWinner(org() + "/password-policy", org() + "/password-policy", [](int round, int who) {
    return json{{"lockoutAfterFailures", 10 + round * 2 + who}};
  });
  expectOneWinner(org() + "/mdm", org() + "/mdm", [this](int round, int who) {
    return json{{"adeTokenExpiresAt", app::formatRfc3339(now() + (10 + round * 2 + who) * 86400)}};
  });
  const json widgets = body(call("GET", "/api/v2/me/home", owner.token))["widgets"];
  expectOneWinner("/api/v2/me/home", "/api/v2/me/home", [&](int round, int who) {
    return json{{"widgets", {widgets[0]}}, {"scheduledDays", 2 + round * 2 + who}};
  });
  expectOneWinner(prov(), prov() + "/settings", [](int round, int who) {
    // Each round flips the flag, whoever wins: the loser's value equals the winner's.
    (void)who;
    return json{{"requireAdminMFA", round % 2 == 0}};
  });
}

// Without If-Match, concurrent writers of different fields both land (the row lock orders
// them: each reads the other's committed change), and each event's `from` is current.
TEST_P(SettingsEtagTest, ConcurrentWritersOfDifferentFieldsLoseNothing) {
  const json widgets = body(call("GET", "/api/v2/me/home", owner.token))["widgets"];
  const Headers in_org = {{"x-org-id", o}};
  auto c = call("POST", "/api/commands", owner.token,
                R"({"name":"Hello","targetOS":"linux","shell":"bash","script":"true"})", in_org);
  ASSERT_EQ(c.status, 201) << c.body;
  const std::string cmd = "/api/commands/" + body(c)["id"].get<std::string>();
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE(round);
    HttpResponse r[6];
    std::thread t[6] = {
        std::thread([&] { r[0] = put("/api/v2/me/home", {{"widgets", widgets}, {"longUptimeDays", 40 + round}}); }),
        std::thread([&] { r[1] = put("/api/v2/me/home", {{"widgets", widgets}, {"scheduledDays", 20 + round}}); }),
        std::thread([&] { r[2] = put(org() + "/password-policy", {{"lockoutAfterFailures", 20 + round}}); }),
        std::thread([&] { r[3] = put(org() + "/password-policy", {{"passwordExpirationDays", 30 + round}}); }),
        std::thread([&] { r[4] = put(cmd, {{"name", "Name " + std::to_string(round)}}, "", in_org); }),
        std::thread([&] { r[5] = put(cmd, {{"script", "exit " + std::to_string(round)}}, "", in_org); }),
    };
    for (auto& th : t) th.join();
    for (const auto& x : r) ASSERT_EQ(x.status, 200) << x.body;
    auto home = body(call("GET", "/api/v2/me/home", owner.token));
    EXPECT_EQ(home["longUptimeDays"], 40 + round);
    EXPECT_EQ(home["scheduledDays"], 20 + round);
    auto policy = body(call("GET", org() + "/password-policy", owner.token));
    EXPECT_EQ(policy["lockoutAfterFailures"], 20 + round);
    EXPECT_EQ(policy["passwordExpirationDays"], 30 + round);
    auto command = body(call("GET", cmd, owner.token, "", in_org));
    EXPECT_EQ(command["name"], "Name " + std::to_string(round));
    EXPECT_EQ(command["script"], "exit " + std::to_string(round));
  }
  // Every Home event's `from` is the value the previous change set (none read stale): the
  // changes of longUptimeDays are exactly 30→40, 40→41, ..., 46→47.
  int home_events = 0;
  std::multiset<std::pair<std::string, std::string>> uptime;
  for (const auto& e : activity(p)) {
    if (e.event_type != "home_settings_update") continue;
    ++home_events;
    for (const auto& ch : json::parse(e.changes_json)) {
      if (ch["field"] != "longUptimeDays" || ch["from"] == ch["to"]) continue;
      uptime.insert(std::make_pair(ch["from"].get<std::string>(), ch["to"].get<std::string>()));
    }
  }
  EXPECT_EQ(home_events, 16);
  std::multiset<std::pair<std::string, std::string>> want{{"30", "40"}};
  for (int v = 40; v < 47; ++v) want.insert({std::to_string(v), std::to_string(v + 1)});
  EXPECT_EQ(uptime, want);
}

MTP_SERVICE_BACKENDS(SettingsEtagTest);

}  // namespace
}  // namespace mtp::testing
