// Organizations over real HTTP on both backends: reach lists, create/read/edit/delete, tenant
// isolation (404 for anything out of reach, and no row changed), logo, launch, admin links.
#include <algorithm>
#include <map>
#include <set>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

class OrganizationRoutesTest : public ServiceTest {
 protected:
  // The activity of a provider without the access_denied events that denials write.
  std::vector<model::ActivityRecord> mutations(const std::string& p) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(p)) {
      if (e.event_type != "access_denied") out.push_back(std::move(e));
    }
    return out;
  }
  std::string orgs(const std::string& p) { return "/api/v2/providers/" + p + "/organizations"; }
  std::string org(const std::string& p, const std::string& o) { return orgs(p) + "/" + o; }

  std::set<std::string> ids(const nlohmann::json& page) {
    std::set<std::string> out;
    for (const auto& o : page["results"]) out.insert(o["id"].get<std::string>());
    return out;
  }
  std::vector<std::string> names(const nlohmann::json& page) {
    std::vector<std::string> out;
    for (const auto& o : page["results"]) out.push_back(o["name"].get<std::string>());
    return out;
  }
  std::string storedName(const std::string& p, const std::string& o) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getOrganization(model::TenantScope{p}, o); });
    return r ? r->name : "<missing>";
  }
  std::int64_t orgCount(const std::string& p) {
    model::ListQuery q;
    q.limit = 100;
    auto r = app().store().query([&](store::Tx& tx) {
      return tx.listOrganizations(model::TenantScope{p}, model::OrgReach::everything(), q);
    });
    return r ? r->total_count : -1;
  }
  HttpResponse raw(const std::string& method, const std::string& path, const std::string& token,
                   const std::string& content_type, const std::string& bytes) {
    HttpClient c(port());
    return c.request(method, path, {{"Authorization", "Bearer " + token}, {"Content-Type", content_type}}, bytes);
  }
  static std::string png(std::size_t size = 64) {
    std::string b("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    b.resize(std::max<std::size_t>(size, 16), '\x01');
    return b;
  }
};

TEST_P(OrganizationRoutesTest, ListShowsExactlyTheOrgsTheCallerReaches) {
  auto p = createProvider("MSP");
  auto q = createProvider("Other MSP");
  auto o1 = createOrg(p, "Acme"), o2 = createOrg(p, "Globex"), o3 = createOrg(p, "Initech");
  auto q1 = createOrg(q, "Umbrella");
  auto granted = createAdmin(p, SeedAdmin{"admin", false, {{o1, ""}, {o2, "help_desk"}}});
  auto all = createAdmin(p, SeedAdmin{"read_only", true});
  auto none = createAdmin(p, SeedAdmin{"admin", false});

  auto r = call("GET", orgs(p), granted.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totalCount"], 2);
  EXPECT_EQ(ids(body(r)), (std::set<std::string>{o1, o2}));

  r = call("GET", orgs(p), all.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totalCount"], 3);
  EXPECT_EQ(ids(body(r)), (std::set<std::string>{o1, o2, o3}));
  EXPECT_FALSE(ids(body(r)).contains(q1));
  auto first = body(r)["results"][0];
  for (const char* f : {"id", "name", "maxSystemUsers", "userCount", "deviceCount", "applicationCount",
                        "remoteAssist", "tags", "created"}) {
    EXPECT_TRUE(first.contains(f)) << f;
  }

  r = call("GET", orgs(p), none.token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body(r)["totalCount"], 0);
  EXPECT_TRUE(body(r)["results"].empty());

  // A role that holds orgs.read nowhere is denied rather than shown an empty list.
  auto billing = createAdmin(p, SeedAdmin{"billing_only", true});
  r = call("GET", orgs(p), billing.token);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(body(r)["error"].contains("decisionId"));
  auto denials = activity(p);
  ASSERT_FALSE(denials.empty());
  EXPECT_EQ(denials[0].event_type, "access_denied");

  // Another provider's list: 404, as if it did not exist.
  EXPECT_EQ(call("GET", orgs(q), all.token).status, 404);
  EXPECT_EQ(call("GET", orgs("nope"), all.token).status, 404);
}

TEST_P(OrganizationRoutesTest, ListPagesSortsAndFilters) {
  auto p = createProvider("MSP");
  createOrg(p, "Delta", {"gold"});
  createOrg(p, "Alpha");
  createOrg(p, "Echo", {"gold", "eu"});
  createOrg(p, "Charlie");
  createOrg(p, "Bravo", {"eu"});
  auto a = createAdmin(p, SeedAdmin{"admin", true});

  auto r = call("GET", orgs(p), a.token);
  EXPECT_EQ(names(body(r)), (std::vector<std::string>{"Alpha", "Bravo", "Charlie", "Delta", "Echo"}));
  r = call("GET", orgs(p) + "?limit=2&skip=1&sort=-name", a.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(names(body(r)), (std::vector<std::string>{"Delta", "Charlie"}));
  EXPECT_EQ(body(r)["totalCount"], 5);
  r = call("GET", orgs(p) + "?filter=tags:eq:gold", a.token);
  EXPECT_EQ(names(body(r)), (std::vector<std::string>{"Delta", "Echo"}));
  EXPECT_EQ(body(r)["totalCount"], 2);
  r = call("GET", orgs(p) + "?filter=name:search:ha", a.token);
  EXPECT_EQ(names(body(r)), (std::vector<std::string>{"Alpha", "Charlie"}));
  EXPECT_EQ(body(r)["results"][0]["tags"], nlohmann::json::array());
  EXPECT_EQ(call("GET", orgs(p) + "?sort=password", a.token).status, 400);
  EXPECT_EQ(call("GET", orgs(p) + "?limit=101", a.token).status, 400);
  EXPECT_EQ(call("GET", orgs(p) + "?colour=red", a.token).status, 400);
}

TEST_P(OrganizationRoutesTest, CreateAsBillingAdminIsReachableAtOnceByCreatorAndAllOrgAdmins) {
  auto p = createProvider("MSP");
  auto existing = createOrg(p, "Existing");
  auto owner = createAdmin(p, SeedAdmin{"admin_billing", false, {{existing, ""}}});
  auto all = createAdmin(p, SeedAdmin{"help_desk", true});
  auto other = createAdmin(p, SeedAdmin{"admin_billing", false});

  auto r = call("POST", orgs(p), owner.token, R"({"name":" Acme Corp ","maxSystemUsers":25,"tags":["b","a","b"]})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto made = body(r);
  const std::string id = made["id"];
  EXPECT_EQ(made["name"], "Acme Corp");
  EXPECT_EQ(made["maxSystemUsers"], 25);
  EXPECT_EQ(made["tags"], (nlohmann::json{"a", "b"}));
  EXPECT_EQ(made["remoteAssist"], false);
  EXPECT_EQ(made["userCount"], 0);

  EXPECT_EQ(call("GET", org(p, id), owner.token).status, 200);
  EXPECT_EQ(call("GET", org(p, id), all.token).status, 200);
  EXPECT_EQ(call("GET", org(p, id), other.token).status, 404);
  EXPECT_EQ(body(call("GET", orgs(p), owner.token))["totalCount"], 2);

  auto events = mutations(p);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "organization_create");
  EXPECT_EQ(events[0].resource_id, id);
  EXPECT_EQ(events[0].organization, id);
  EXPECT_EQ(events[0].initiated_by_id, owner.id);
  EXPECT_EQ(events[0].initiated_by_email, owner.email);
  auto ch = nlohmann::json::parse(events[0].changes_json);
  EXPECT_EQ(ch[0], (nlohmann::json{{"field", "name"}, {"from", ""}, {"to", "Acme Corp"}}));
}

TEST_P(OrganizationRoutesTest, CreateIsRefusedToOtherRolesAndBadBodies) {
  auto p = createProvider("MSP");
  auto admin = createAdmin(p, SeedAdmin{"admin", true});
  auto owner = createAdmin(p, SeedAdmin{"admin_billing", true});
  auto r = call("POST", orgs(p), admin.token, R"({"name":"Nope"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(body(r)["error"].contains("decisionId"));
  EXPECT_EQ(call("POST", orgs(p), owner.token, R"({"name":"X","owner":"me"})").status, 400);
  EXPECT_EQ(call("POST", orgs(p), owner.token, R"({"name":"   "})").status, 400);
  EXPECT_EQ(call("POST", orgs(p), owner.token, R"({"name":"X","maxSystemUsers":-1})").status, 400);
  EXPECT_EQ(call("POST", orgs(p), owner.token, R"({"name":"X","tags":[1]})").status, 400);
  EXPECT_EQ(call("POST", orgs(p), owner.token, R"({})").status, 400);
  EXPECT_EQ(orgCount(p), 0);
  EXPECT_TRUE(mutations(p).empty());
}

TEST_P(OrganizationRoutesTest, OutOfReachOtherProviderAndUnknownAreAll404AndChangeNothing) {
  auto p = createProvider("MSP");
  auto q = createProvider("Other MSP");
  auto mine = createOrg(p, "Mine"), theirs = createOrg(p, "Not granted");
  auto foreign = createOrg(q, "Foreign");
  auto a = createAdmin(p, SeedAdmin{"admin_billing", false, {{mine, ""}}});
  const std::string edit = R"({"name":"Hacked"})";
  for (const auto& path : {org(p, theirs), org(p, foreign), org(q, foreign), org(p, "does-not-exist")}) {
    EXPECT_EQ(call("GET", path, a.token).status, 404) << path;
    auto r = call("PUT", path, a.token, edit);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(body(r)["error"]["code"], "not_found");
    EXPECT_EQ(call("DELETE", path, a.token).status, 404) << path;
    EXPECT_EQ(raw("PUT", path + "/logo", a.token, "image/png", png()).status, 404) << path;
    EXPECT_EQ(call("POST", path + "/launch", a.token).status, 404) << path;
  }
  EXPECT_EQ(storedName(p, theirs), "Not granted");
  EXPECT_EQ(storedName(q, foreign), "Foreign");
  EXPECT_EQ(orgCount(p), 2);
  EXPECT_EQ(orgCount(q), 1);
  EXPECT_TRUE(mutations(p).empty());
  EXPECT_TRUE(mutations(q).empty());
  EXPECT_EQ(call("GET", org(p, mine), a.token).status, 200);
}

TEST_P(OrganizationRoutesTest, UpdateWritesOneEventWithTheChangedFieldsOnly) {
  auto p = createProvider("MSP");
  auto o = createOrg(p, "Acme", {"eu"});
  auto a = createAdmin(p, SeedAdmin{"admin", false, {{o, ""}}});
  auto ro = createAdmin(p, SeedAdmin{"read_only", true});
  EXPECT_EQ(call("PUT", org(p, o), ro.token, R"({"name":"RO"})").status, 403);
  EXPECT_EQ(call("PUT", org(p, o), a.token, R"({"name":"X","id":"other"})").status, 400);
  EXPECT_TRUE(mutations(p).empty());

  auto r = call("PUT", org(p, o), a.token, R"({"name":"Acme Inc","remoteAssist":true,"tags":["eu","gold"],"maxSystemUsers":10})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["name"], "Acme Inc");
  EXPECT_EQ(body(r)["remoteAssist"], true);
  EXPECT_EQ(body(r)["tags"], (nlohmann::json{"eu", "gold"}));
  EXPECT_EQ(body(r)["maxSystemUsers"], 10);
  auto events = mutations(p);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "organization_update");
  EXPECT_EQ(events[0].organization, o);
  EXPECT_EQ(nlohmann::json::parse(events[0].changes_json),
            (nlohmann::json{{{"field", "name"}, {"from", "Acme"}, {"to", "Acme Inc"}},
                            {{"field", "maxSystemUsers"}, {"from", ""}, {"to", "10"}},
                            {{"field", "remoteAssist"}, {"from", "false"}, {"to", "true"}},
                            {{"field", "tags"}, {"from", "eu"}, {"to", "eu,gold"}}}));

  // The same values again: nothing changes, no event. null removes the cap.
  EXPECT_EQ(call("PUT", org(p, o), a.token, R"({"name":"Acme Inc","remoteAssist":true})").status, 200);
  EXPECT_EQ(mutations(p).size(), 1u);
  r = call("PUT", org(p, o), a.token, R"({"maxSystemUsers":null})");
  EXPECT_EQ(body(r)["maxSystemUsers"], nullptr);
  EXPECT_EQ(body(r)["name"], "Acme Inc");
  EXPECT_EQ(mutations(p).size(), 2u);
  EXPECT_EQ(body(call("GET", org(p, o), a.token))["name"], "Acme Inc");
}

TEST_P(OrganizationRoutesTest, DeleteIsForAdminBillingAndTheOrgIsGoneAtOnce) {
  auto p = createProvider("MSP");
  auto o = createOrg(p, "Acme");
  auto admin = createAdmin(p, SeedAdmin{"admin", true});
  auto owner = createAdmin(p, SeedAdmin{"admin_billing", true});
  EXPECT_EQ(call("DELETE", org(p, o), admin.token).status, 403);
  EXPECT_EQ(orgCount(p), 1);
  EXPECT_EQ(call("DELETE", org(p, o), owner.token).status, 204);
  EXPECT_EQ(call("GET", org(p, o), owner.token).status, 404);
  EXPECT_EQ(orgCount(p), 0);
  auto events = mutations(p);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "organization_delete");
  EXPECT_EQ(events[0].resource_id, o);
}

TEST_P(OrganizationRoutesTest, LogoIsCheckedByContentAndSize) {
  auto p = createProvider("MSP");
  auto o = createOrg(p, "Acme");
  auto a = createAdmin(p, SeedAdmin{"admin", true});
  const std::string path = org(p, o) + "/logo";
  EXPECT_EQ(call("GET", path, a.token).status, 404);

  auto r = raw("PUT", path, a.token, "image/png", "this is text, not a picture");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(body(r)["error"]["code"], "unsupported_media_type");
  EXPECT_EQ(raw("PUT", path, a.token, "image/png", std::string(1024 * 1024 + 1, '\x01')).status, 413);
  auto big_png = png(1024 * 1024 + 1);
  EXPECT_EQ(raw("PUT", path, a.token, "image/png", big_png).status, 413);
  EXPECT_TRUE(mutations(p).empty());

  const std::string image = png(1024 * 1024);  // exactly 1 MiB is allowed
  r = raw("PUT", path, a.token, "image/png", image);
  ASSERT_EQ(r.status, 204) << r.body;
  r = call("GET", path, a.token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").substr(0, 9), "image/png");
  EXPECT_EQ(r.body, image);
  EXPECT_EQ(body(call("GET", org(p, o), a.token))["hasLogo"], true);

  // JPEG, sent with a misleading header: the bytes decide.
  const std::string jpeg("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11);
  EXPECT_EQ(raw("PUT", path, a.token, "application/octet-stream", jpeg).status, 204);
  r = call("GET", path, a.token);
  EXPECT_EQ(r.header("content-type").substr(0, 10), "image/jpeg");
  EXPECT_EQ(r.body, jpeg);
  auto events = mutations(p);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event_type, "organization_update");

  auto ro = createAdmin(p, SeedAdmin{"read_only", true});
  EXPECT_EQ(raw("PUT", path, ro.token, "image/png", png()).status, 403);
  EXPECT_EQ(call("GET", path, ro.token).status, 200);
}

TEST_P(OrganizationRoutesTest, LaunchTokenReachesOnlyThatOrg) {
  auto p = createProvider("MSP");
  auto o1 = createOrg(p, "Acme"), o2 = createOrg(p, "Globex");
  auto a = createAdmin(p, SeedAdmin{"manager", true});
  auto r = call("POST", org(p, o1) + "/launch", a.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["tokenType"], "Bearer");
  EXPECT_EQ(j["expiresIn"], 15 * 60);
  EXPECT_EQ(j["organization"]["id"], o1);
  const std::string launch = j["token"];
  auto claims = app().tokens().verify(launch, now());
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->scope, auth::TokenScope::kOrg);
  EXPECT_EQ(claims->org, o1);

  EXPECT_EQ(call("GET", org(p, o1), launch).status, 200);
  EXPECT_EQ(call("GET", org(p, o2), launch).status, 404);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p, launch).status, 403);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p + "/activity", launch).status, 403);
  r = call("GET", orgs(p), launch);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(ids(body(r)), (std::set<std::string>{o1}));

  auto events = mutations(p);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "organization_launch");
  EXPECT_EQ(events[0].organization, o1);
  EXPECT_EQ(events[0].changes_json.find(launch), std::string::npos);

  // billing_only may not launch; the token expires with its TTL.
  auto billing = createAdmin(p, SeedAdmin{"billing_only", true});
  EXPECT_EQ(call("POST", org(p, o1) + "/launch", billing.token).status, 403);
  advance(15 * 60 + 1);
  EXPECT_EQ(call("GET", org(p, o1), launch).status, 401);
}

// Issue 10.1: no check made while serving a launch token's request skips its scope: the
// admin links' admins.read, and the self-service routes (no self-service change).
TEST_P(OrganizationRoutesTest, LaunchTokenIsRefusedProviderAndSelfServiceActions) {
  auto p = createProvider("MSP");
  auto o1 = createOrg(p, "Acme");
  for (const std::string role : {"admin_billing", "help_desk"}) {
    auto a = createAdmin(p, SeedAdmin{.role = role, .all_organizations = true, .password = "correct horse battery"});
    auto r = call("POST", org(p, o1) + "/launch", a.token);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string launch = body(r)["token"];
    // The full session reads the links; the launch token may not.
    EXPECT_EQ(call("GET", "/api/v2/organizations/" + o1 + "/administratorlinks", a.token).status, 200) << role;
    r = call("GET", "/api/v2/organizations/" + o1 + "/administratorlinks", launch);
    EXPECT_EQ(r.status, 403) << role << " " << r.body;
    EXPECT_TRUE(body(r)["error"].contains("decisionId"));
    EXPECT_EQ(call("POST", "/api/v2/me/totp", launch).status, 403) << role;
    EXPECT_EQ(call("PUT", "/api/v2/me/password", launch,
                   nlohmann::json({{"currentPassword", "correct horse battery"},
                                   {"newPassword", "another long passphrase"}}).dump()).status, 403)
        << role;
    EXPECT_EQ(call("POST", "/api/v2/me/apikey", launch).status, 403) << role;
    EXPECT_EQ(call("GET", "/api/v2/me", launch).status, 403) << role;
    // Its own org is still reached.
    EXPECT_EQ(call("GET", org(p, o1), launch).status, 200) << role;
    // The denials are recorded with the engine's reason.
    bool recorded = false;
    for (const auto& e : activity(p)) {
      if (e.event_type == "access_denied" && e.changes_json.find("session_scope") != std::string::npos)
        recorded = true;
    }
    EXPECT_TRUE(recorded);
    // Logout stays reachable and ends the launch token.
    EXPECT_EQ(call("POST", "/api/v2/auth/logout", launch).status, 204) << role;
    EXPECT_EQ(call("GET", org(p, o1), launch).status, 401) << role;
  }
}

TEST_P(OrganizationRoutesTest, AdministratorLinksListWhoReachesTheOrgWithTheRoleThere) {
  auto p = createProvider("MSP");
  auto o = createOrg(p, "Acme"), other = createOrg(p, "Globex");
  auto all = createAdmin(p, SeedAdmin{"admin", true});
  auto granted = createAdmin(p, SeedAdmin{"admin", false, {{o, "help_desk"}}});
  auto expired = createAdmin(p, SeedAdmin{"admin", false, {{o, "", now() - 10}}});
  auto elsewhere = createAdmin(p, SeedAdmin{"admin", false, {{other, ""}}});
  auto runner = createAdmin(p, SeedAdmin{"command_runner", true});
  const std::string path = "/api/v2/organizations/" + o + "/administratorlinks";

  auto r = call("GET", path, all.token);
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, std::string> roles;
  const auto links = body(r);
  for (const auto& x : links["results"]) roles[x["id"]] = x["roleName"];
  EXPECT_EQ(roles.size(), 3u);  // all, granted, runner
  EXPECT_EQ(roles[granted.id], "help_desk");
  EXPECT_EQ(roles[all.id], "admin");
  EXPECT_FALSE(roles.contains(expired.id));
  EXPECT_FALSE(roles.contains(elsewhere.id));
  EXPECT_EQ(body(r)["totalCount"], 3);
  EXPECT_EQ(body(call("GET", path + "?limit=1&skip=1", all.token))["results"].size(), 1u);

  EXPECT_EQ(call("GET", path, elsewhere.token).status, 404);  // does not reach the org
  EXPECT_EQ(call("GET", path, runner.token).status, 403);     // orgs.read but not admins.read
  auto q = createProvider("Other");
  auto stranger = createAdmin(q, SeedAdmin{"admin_billing", true});
  EXPECT_EQ(call("GET", path, stranger.token).status, 404);
}

MTP_SERVICE_BACKENDS(OrganizationRoutesTest);

}  // namespace
}  // namespace mtp::testing
