// Home over real HTTP on both backends: every widget's number against data made for the test
// (users and devices in granted and ungranted orgs: an org-restricted admin counts only its
// orgs, an all-orgs admin every org), the detail lists and their paging, the role rules
// (billing_only has no Home; command runners see Home without the user widgets and without
// admins_without_mfa; only admin_billing acts on admins without MFA), Manage Home (saved at
// once, validated, applied to the counts), MDM status, reports ready (JSON and CSV) and
// recent OS releases.
#include <algorithm>
#include <map>

#include "app/activity_service.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 86400;

class HomeTest : public ServiceTest {
 protected:
  struct World {
    std::string p, a, b, c;  // c: not granted to `scoped`
    SeededAdmin owner, scoped;
  };

  World world() {
    World w;
    w.p = createProvider("MSP");
    w.a = createOrg(w.p, "Alpha");
    w.b = createOrg(w.p, "Bravo");
    w.c = createOrg(w.p, "Charlie");
    w.owner = createAdmin(w.p, {.role = "admin_billing", .all_organizations = true});
    w.scoped = createAdmin(w.p, {.role = "admin", .organizations = {{w.a}, {w.b}}});
    return w;
  }

  // A user straight into the store: created 30 days ago with a password, unless `shape`
  // says otherwise.
  std::string user(const std::string& p, const std::string& org,
                   const std::function<void(model::SystemUserRecord&)>& shape = {},
                   bool password = true) {
    model::SystemUserRecord r;
    r.org_id = org;
    r.username = "u" + std::to_string(++seq_);
    r.email = r.username + "@client.example";
    r.state = model::UserState::kActivated;
    r.created = now() - 30 * kDay;
    if (shape) shape(r);
    auto id = app().store().transact([&](store::Tx& tx) {
      return tx.createSystemUser(model::TenantScope{p}, r,
                                 password ? std::optional<std::string>("$argon2id$fake")
                                          : std::nullopt);
    });
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id ? *id : "";
  }
  void lock(const std::string& p, const std::string& org, const std::string& id) {
    auto n = app().store().transact([&](store::Tx& tx) {
      return tx.recordSystemUserFailedLogin(model::TenantScope{p}, org, id, 1);
    });
    ASSERT_TRUE(n.has_value());
  }
  void forceExpiry(const std::string& p, const std::string& org, const std::string& id) {
    auto n = app().store().transact([&](store::Tx& tx) {
      return tx.expireSystemUserPassword(model::TenantScope{p}, org, id);
    });
    ASSERT_TRUE(n.has_value());
  }
  std::string device(const std::string& p, const std::string& org,
                     std::optional<std::int64_t> last_contact, std::int64_t uptime) {
    model::DeviceRecord d;
    d.org_id = org;
    d.display_name = "dev" + std::to_string(++seq_);
    d.hostname = d.display_name + ".local";
    d.os = "macOS 15";
    d.os_family = "darwin";
    d.version = "1.0";
    d.active = last_contact.has_value();
    d.last_contact = last_contact;
    d.uptime_seconds = uptime;
    auto id = app().store().transact([&](store::Tx& tx) {
      return tx.createDevice(model::TenantScope{p}, d, "hash-" + d.display_name);
    });
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id ? *id : "";
  }

  std::string home(const std::string& p) { return "/api/v2/providers/" + p + "/home"; }

  // id → count of GET .../home.
  std::map<std::string, std::int64_t> counts(const std::string& p, const std::string& token) {
    auto r = call("GET", home(p), token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, std::int64_t> out;
    if (r.status != 200) return out;
    const json b = body(r);
    for (const auto& w : b["widgets"]) out[w["id"].get<std::string>()] = w["count"].get<std::int64_t>();
    return out;
  }
  json detail(const std::string& p, const std::string& token, const std::string& id,
              const std::string& query = "") {
    auto r = call("GET", home(p) + "/" + id + query, token);
    EXPECT_EQ(r.status, 200) << id << ": " << r.body;
    return r.status == 200 ? body(r) : json::object();
  }

  int seq_ = 0;
};

TEST_P(HomeTest, UserWidgetsCountOnlyTheOrgsTheCallerReaches) {
  World w = world();
  const auto& p = w.p;
  // Lock-outs: 2 in A, 1 in B, 2 in C.
  std::vector<std::pair<std::string, std::string>> locked;
  for (const auto& org : {w.a, w.a, w.b, w.c, w.c}) locked.push_back({org, user(p, org)});
  for (const auto& [org, id] : locked) lock(p, org, id);
  // Expired: forced in A, past its date in B; past its date in C.
  auto forced = user(p, w.a);
  forceExpiry(p, w.a, forced);
  user(p, w.b, [&](auto& r) { r.password_expiration_date = now() - kDay; });
  user(p, w.c, [&](auto& r) { r.password_expiration_date = now() - 2 * kDay; });
  // Upcoming (14 days): in 5 days in B, in 20 days in B (outside), in 3 days in C.
  user(p, w.b, [&](auto& r) { r.password_expiration_date = now() + 5 * kDay; });
  user(p, w.b, [&](auto& r) { r.password_expiration_date = now() + 20 * kDay; });
  user(p, w.c, [&](auto& r) { r.password_expiration_date = now() + 3 * kDay; });
  // New (7 days): 2 in A, 1 in C.
  user(p, w.a, [&](auto& r) { r.created = now() - kDay; });
  user(p, w.a, [&](auto& r) { r.created = now() - 6 * kDay; });
  user(p, w.c, [&](auto& r) { r.created = now(); });
  // Scheduled suspensions (7 days): in 3 days in A, in 10 days in A (outside), in 2 days in C.
  user(p, w.a, [&](auto& r) { r.scheduled_suspension_at = now() + 3 * kDay; });
  user(p, w.a, [&](auto& r) { r.scheduled_suspension_at = now() + 10 * kDay; });
  user(p, w.c, [&](auto& r) { r.scheduled_suspension_at = now() + 2 * kDay; });
  // Scheduled activations: in 1 day in B.
  user(p, w.b, [&](auto& r) {
    r.state = model::UserState::kStaged;
    r.scheduled_activation_at = now() + kDay;
  });
  // Sudo: A and C; passwordless sudo: B; samba: C; no password: A, C, C.
  user(p, w.a, [&](auto& r) { r.sudo = true; });
  user(p, w.c, [&](auto& r) { r.sudo = true; });
  user(p, w.b, [&](auto& r) { r.passwordless_sudo = true; });
  user(p, w.c, [&](auto& r) { r.samba_service_user = true; });
  user(p, w.a, {}, false);
  user(p, w.c, {}, false);
  user(p, w.c, {}, false);
  // Another provider's users never count.
  auto other = createProvider("Other");
  auto x = createOrg(other, "X");
  lock(other, x, user(other, x));

  const std::map<std::string, std::pair<int, int>> want = {
      {"user_lockouts", {3, 5}},          {"expired_passwords", {2, 3}},
      {"upcoming_password_expirations", {1, 2}}, {"new_users", {2, 3}},
      {"scheduled_suspensions", {1, 2}},  {"scheduled_activations", {1, 1}},
      {"users_with_sudo", {1, 2}},        {"users_with_passwordless_sudo", {1, 1}},
      {"users_without_password", {1, 3}}, {"users_with_samba", {0, 1}}};
  auto scoped = counts(p, w.scoped.token);
  auto all = counts(p, w.owner.token);
  for (const auto& [id, n] : want) {
    EXPECT_EQ(scoped[id], n.first) << id << " (org-restricted admin)";
    EXPECT_EQ(all[id], n.second) << id << " (all-orgs admin)";
    // The detail agrees with the count.
    EXPECT_EQ(detail(p, w.scoped.token, id, "?limit=100")["totalCount"], n.first) << id;
    EXPECT_EQ(detail(p, w.owner.token, id, "?limit=100")["results"].size(),
              static_cast<std::size_t>(n.second))
        << id;
  }

  // The lock-out detail: only A and B for the restricted admin, paged.
  auto page1 = detail(p, w.scoped.token, "user_lockouts", "?limit=2");
  EXPECT_EQ(page1["totalCount"], 3);
  ASSERT_EQ(page1["results"].size(), 2u);
  auto page2 = detail(p, w.scoped.token, "user_lockouts", "?limit=2&skip=2");
  ASSERT_EQ(page2["results"].size(), 1u);
  for (const auto& page : {page1, page2}) {
    for (const auto& u : page["results"]) {
      EXPECT_NE(u["organization"], w.c);
      EXPECT_TRUE(u["account_locked"].get<bool>());
      EXPECT_FALSE(u["organizationName"].get<std::string>().empty());
      EXPECT_FALSE(u.contains("password_hash"));
    }
  }
  EXPECT_EQ(call("GET", home(p) + "/user_lockouts?limit=0", w.owner.token).status, 400);
  EXPECT_EQ(call("GET", home(p) + "/user_lockouts?sort=username", w.owner.token).status, 400);
  EXPECT_EQ(call("GET", home(p) + "/no_such_widget", w.owner.token).status, 404);

  // Eight days later: no user is new; the suspension that was 10 days away is now 2 away;
  // the expiry that was 5 days away has passed.
  advance(8 * kDay);
  w.owner.token = mintToken(p, w.owner.id);  // sessions last hours, not days
  auto later = counts(p, w.owner.token);
  EXPECT_EQ(later["new_users"], 0);
  EXPECT_EQ(later["scheduled_suspensions"], 1);
  EXPECT_EQ(later["expired_passwords"], 5);
  EXPECT_EQ(later["upcoming_password_expirations"], 1);  // the 20-day one is 12 days away
}

TEST_P(HomeTest, DeviceWidgetsCountOnlyTheOrgsTheCallerReaches) {
  World w = world();
  const auto& p = w.p;
  device(p, w.a, now() - 8 * kDay, 100);       // inactive
  device(p, w.a, std::nullopt, 0);             // never seen: inactive
  device(p, w.b, now() - 3600, 40 * kDay);     // up 40 days
  device(p, w.b, now() - 6 * kDay, 2 * kDay);  // neither
  device(p, w.c, now() - 30 * kDay, 0);        // inactive
  device(p, w.c, now(), 31 * kDay);            // up 31 days

  auto scoped = counts(p, w.scoped.token);
  auto all = counts(p, w.owner.token);
  EXPECT_EQ(scoped["devices_inactive"], 2);
  EXPECT_EQ(all["devices_inactive"], 3);
  EXPECT_EQ(scoped["devices_long_uptime"], 1);
  EXPECT_EQ(all["devices_long_uptime"], 2);

  auto inactive = detail(p, w.owner.token, "devices_inactive");
  EXPECT_EQ(inactive["totalCount"], 3);
  ASSERT_EQ(inactive["results"].size(), 3u);
  EXPECT_TRUE(inactive["results"][0]["lastContact"].is_null());  // never seen first
  EXPECT_EQ(inactive["results"][1]["organization"], w.c);         // then the longest silent

  // Manage Home's N: more than 35 days up leaves only the 40-day device.
  auto put = call("PUT", "/api/v2/me/home", w.owner.token,
                  R"({"widgets":["devices_long_uptime","devices_inactive"],"longUptimeDays":35})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto chosen = counts(p, w.owner.token);
  EXPECT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen["devices_long_uptime"], 1);

  // Two days on, the device last seen 6 days ago is inactive too.
  advance(2 * kDay);
  w.owner.token = mintToken(p, w.owner.id);
  EXPECT_EQ(counts(p, w.owner.token)["devices_inactive"], 4);
}

TEST_P(HomeTest, RolesDecideWhichWidgetsAreShown) {
  World w = world();
  const auto& p = w.p;
  auto billing = createAdmin(p, {.role = "billing_only", .all_organizations = true});
  auto runner = createAdmin(p, {.role = "command_runner", .all_organizations = true});
  auto desk = createAdmin(p, {.role = "help_desk", .all_organizations = true});

  // Billing Only cannot see the Home page.
  EXPECT_EQ(call("GET", home(p), billing.token).status, 403);
  EXPECT_EQ(call("GET", home(p) + "/user_lockouts", billing.token).status, 403);
  EXPECT_EQ(call("GET", "/api/v2/me/home", billing.token).status, 403);

  // Command runners: Home without the user widgets and without admins_without_mfa.
  auto rc = counts(p, runner.token);
  EXPECT_FALSE(rc.contains("admins_without_mfa"));
  EXPECT_FALSE(rc.contains("user_lockouts"));
  EXPECT_TRUE(rc.contains("devices_inactive"));
  EXPECT_TRUE(rc.contains("recent_os_releases"));
  EXPECT_TRUE(rc.contains("mdm_status"));
  auto denied = call("GET", home(p) + "/admins_without_mfa", runner.token);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(call("GET", home(p) + "/user_lockouts", runner.token).status, 403);

  // Every admin without MFA: the owner, scoped, billing, runner, desk.
  auto dc = counts(p, desk.token);
  EXPECT_EQ(dc["admins_without_mfa"], 5);
  EXPECT_EQ(counts(p, w.scoped.token)["admins_without_mfa"], 5);
  auto list = detail(p, desk.token, "admins_without_mfa", "?limit=100");
  ASSERT_EQ(list["results"].size(), 5u);
  for (const auto& a : list["results"]) {
    EXPECT_TRUE(a.contains("email"));
    EXPECT_TRUE(a.contains("name"));
    EXPECT_TRUE(a.contains("roleName"));
  }

  // admin and help_desk see it but cannot act on it.
  const std::string actions = home(p) + "/admins_without_mfa/actions";
  const std::string some = json{{"admins", {runner.id}}}.dump();
  EXPECT_EQ(call("POST", actions, desk.token, some).status, 403);
  EXPECT_EQ(call("POST", actions, w.scoped.token, some).status, 403);

  // admin_billing requires MFA of every listed admin but itself: one admin_update each.
  json ids = json::array();
  for (const auto& a : list["results"]) {
    if (a["id"] != w.owner.id) ids.push_back(a["id"]);
  }
  ids.push_back("no-such-admin");
  auto act = call("POST", actions, w.owner.token, json{{"admins", ids}}.dump());
  ASSERT_EQ(act.status, 200) << act.body;
  auto results = body(act)["results"];
  ASSERT_EQ(results.size(), 5u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(results[i]["status"], 200) << results[i];
  EXPECT_EQ(results[4]["status"], 404);
  int updates = 0;
  for (const auto& e : activity(p)) {
    if (e.event_type == "admin_update" && e.changes_json.find("enableMultiFactor") != std::string::npos) ++updates;
  }
  EXPECT_EQ(updates, 4);
  EXPECT_EQ(counts(p, w.owner.token)["admins_without_mfa"], 1);
  // The owner last (its session verified MFA), and one already required: 200, no event.
  auto last = call("POST", actions, w.owner.token, json{{"admins", {w.owner.id, runner.id}}}.dump());
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(body(last)["results"][0]["status"], 200);
  EXPECT_EQ(body(last)["results"][1]["status"], 200);
  EXPECT_EQ(counts(p, w.owner.token)["admins_without_mfa"], 0);
  EXPECT_EQ(detail(p, w.owner.token, "admins_without_mfa")["totalCount"], 0);
  updates = 0;
  for (const auto& e : activity(p)) {
    if (e.event_type == "admin_update" && e.changes_json.find("enableMultiFactor") != std::string::npos) ++updates;
  }
  EXPECT_EQ(updates, 5);
  // The sessions minted for these admins verified MFA: they keep working.
  EXPECT_EQ(call("GET", home(p), desk.token).status, 200);

  // The rest of the bulk rules: strict body, at least one id.
  EXPECT_EQ(call("POST", actions, w.owner.token, R"({"admins":[],"x":1})").status, 400);
  EXPECT_EQ(call("POST", actions, w.owner.token, R"({"admins":[]})").status, 400);

  // With the provider's global requirement, nobody is without MFA.
  auto put = call("PUT", "/api/v2/providers/" + p + "/settings", w.owner.token,
                  R"({"requireAdminMFA":true})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(counts(p, w.owner.token)["admins_without_mfa"], 0);
  EXPECT_EQ(detail(p, w.owner.token, "admins_without_mfa")["totalCount"], 0);
}

TEST_P(HomeTest, ManageHomeIsSavedAtOnceAndValidated) {
  World w = world();
  const std::string me = "/api/v2/me/home";
  auto def = call("GET", me, w.scoped.token);
  ASSERT_EQ(def.status, 200) << def.body;
  EXPECT_EQ(body(def)["widgets"].size(), 18u);
  EXPECT_EQ(body(def)["upcomingPasswordExpirationDays"], 14);
  EXPECT_EQ(body(def)["longUptimeDays"], 30);
  EXPECT_EQ(body(def)["scheduledDays"], 7);
  EXPECT_EQ(counts(w.p, w.scoped.token).size(), 18u);

  for (const char* bad : {R"({"widgets":["nope"]})", R"({"widgets":["new_users","new_users"]})",
                          R"({"widgets":[],"scheduledDays":0})",
                          R"({"widgets":[],"upcomingPasswordExpirationDays":366})",
                          R"({"widgets":[],"extra":true})", R"({"scheduledDays":3})",
                          R"({"widgets":"new_users"})"}) {
    EXPECT_EQ(call("PUT", me, w.scoped.token, bad).status, 400) << bad;
  }
  EXPECT_EQ(body(call("GET", me, w.scoped.token))["widgets"].size(), 18u);  // nothing saved

  auto put = call("PUT", me, w.scoped.token,
                  R"({"widgets":["new_users","user_lockouts"],"upcomingPasswordExpirationDays":20,"scheduledDays":3})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(body(put)["widgets"], json({"new_users", "user_lockouts"}));
  EXPECT_EQ(body(put)["upcomingPasswordExpirationDays"], 20);
  EXPECT_EQ(body(put)["scheduledDays"], 3);
  EXPECT_EQ(body(put)["longUptimeDays"], 30);
  EXPECT_EQ(body(call("GET", me, w.scoped.token)), body(put));
  // Only the chosen widgets, in display order; other admins keep theirs.
  auto r = call("GET", home(w.p), w.scoped.token);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(body(r)["widgets"].size(), 2u);
  EXPECT_EQ(body(r)["widgets"][0]["id"], "user_lockouts");
  EXPECT_EQ(body(r)["widgets"][1]["id"], "new_users");
  EXPECT_EQ(counts(w.p, w.owner.token).size(), 18u);
  // The N values apply: a password expiring in 18 days is upcoming within 20.
  user(w.p, w.a, [&](auto& u) { u.password_expiration_date = now() + 18 * kDay; });
  EXPECT_EQ(detail(w.p, w.scoped.token, "upcoming_password_expirations")["totalCount"], 1);
  EXPECT_EQ(detail(w.p, w.owner.token, "upcoming_password_expirations")["totalCount"], 0);

  int events = 0;
  for (const auto& e : activity(w.p)) {
    if (e.event_type == "home_settings_update") {
      ++events;
      EXPECT_EQ(e.resource_id, w.scoped.id);
    }
  }
  EXPECT_EQ(events, 1);
}

TEST_P(HomeTest, MdmReportsAndOsReleases) {
  World w = world();
  const auto& p = w.p;
  auto mdm = [&](const std::string& org) {
    return "/api/v2/providers/" + p + "/organizations/" + org + "/mdm";
  };
  auto at = [&](std::int64_t t) { return json(app::formatRfc3339(t)); };
  ASSERT_EQ(call("PUT", mdm(w.a), w.scoped.token,
                 json{{"apnsCertificateExpiresAt", at(now() + 5 * kDay)},
                      {"vppTokenExpiresAt", at(now() + 20 * kDay)},
                      {"adeTokenExpiresAt", at(now() + 60 * kDay)}}
                     .dump())
                .status,
            200);
  ASSERT_EQ(call("PUT", mdm(w.b), w.scoped.token, json{{"adeTokenExpiresAt", at(now() + 100 * kDay)}}.dump()).status, 200);
  ASSERT_EQ(call("PUT", mdm(w.c), w.owner.token, json{{"apnsCertificateExpiresAt", at(now() - kDay)}}.dump()).status, 200);
  // An org the caller does not reach answers 404; bad bodies 400.
  EXPECT_EQ(call("PUT", mdm(w.c), w.scoped.token, "{}").status, 404);
  EXPECT_EQ(call("GET", mdm(w.c), w.scoped.token).status, 404);
  EXPECT_EQ(call("PUT", mdm(w.a), w.scoped.token, R"({"apnsCertificateExpiresAt":"soon"})").status, 400);
  EXPECT_EQ(call("PUT", mdm(w.a), w.scoped.token, R"({"pushCert":"2027-01-01T00:00:00Z"})").status, 400);
  auto got = call("GET", mdm(w.a), w.scoped.token);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(body(got)["vppTokenExpiresAt"], at(now() + 20 * kDay));

  EXPECT_EQ(counts(p, w.scoped.token)["mdm_status"], 1);  // A (B's is later)
  EXPECT_EQ(counts(p, w.owner.token)["mdm_status"], 2);   // A and C
  auto items = detail(p, w.owner.token, "mdm_status", "?limit=100");
  EXPECT_EQ(items["totalCount"], 5);
  std::vector<std::string> statuses;
  for (const auto& i : items["results"]) statuses.push_back(i["status"]);
  EXPECT_EQ(statuses, (std::vector<std::string>{"expired", "within_10_days", "within_30_days",
                                                "later", "later"}));
  EXPECT_EQ(items["results"][0]["organization"], w.c);
  EXPECT_EQ(items["results"][0]["kind"], "apns_certificate");

  // Reports (store/report_store.h): ready within 24 hours in A and C; older in A; pending in B.
  auto report = [&](const std::string& org, const std::string& kind,
                    std::optional<std::int64_t> ready) {
    store::ReportRequestRecord r;
    r.org_id = org;
    r.kind = kind;
    r.format = "csv";
    r.requested_by = w.owner.id;
    r.org_ids = {org};
    auto id = app().store().transact([&](store::Tx& tx) -> Result<std::string> {
      auto made = tx.createReportRequest(model::TenantScope{p}, r);
      if (!made || !ready) return made;
      if (auto f = tx.finishReportRequest(model::TenantScope{p}, *made, "ready", "x", 1, "", *ready); !f)
        return fail(f.error());
      return made;
    });
    ASSERT_TRUE(id.has_value());
  };
  report(w.a, "users", now() - 3600);
  report(w.a, "admins", now() - 30 * 3600);
  report(w.b, "activity", std::nullopt);
  report(w.c, "devices", now() - 7200);
  EXPECT_EQ(counts(p, w.scoped.token)["reports_ready"], 1);
  EXPECT_EQ(counts(p, w.owner.token)["reports_ready"], 2);
  auto csv = call("GET", home(p) + "/reports_ready?format=csv", w.owner.token);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("id,organization,organizationName,name,format,created,readyAt"), std::string::npos);
  EXPECT_NE(csv.body.find("Users report"), std::string::npos);
  EXPECT_NE(csv.body.find("Devices report"), std::string::npos);
  EXPECT_EQ(csv.body.find("Admins report"), std::string::npos);
  auto js = call("GET", home(p) + "/reports_ready?format=json", w.scoped.token);
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(body(js)["totalCount"], 1);
  EXPECT_EQ(call("GET", home(p) + "/reports_ready?format=xml", w.owner.token).status, 400);
  EXPECT_EQ(call("GET", home(p) + "/user_lockouts?format=csv", w.owner.token).status, 400);

  // OS releases (global): one of the past 14 days.
  for (auto [version, released] : {std::pair{"15.2", now() - 3 * kDay}, std::pair{"15.1", now() - 20 * kDay}}) {
    model::OsReleaseRecord r{.os_family = "macOS", .version = version, .build = "24C", .released_at = released};
    ASSERT_TRUE(app().store().transact([&](store::Tx& tx) { return tx.addOsRelease(r); }).has_value());
  }
  EXPECT_EQ(counts(p, w.scoped.token)["recent_os_releases"], 1);
  auto os = detail(p, w.scoped.token, "recent_os_releases");
  ASSERT_EQ(os["results"].size(), 1u);
  EXPECT_EQ(os["results"][0]["version"], "15.2");
}

MTP_SERVICE_BACKENDS(HomeTest);

}  // namespace
}  // namespace mtp::testing
