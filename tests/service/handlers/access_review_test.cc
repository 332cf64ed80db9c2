// The access review over real HTTP on both backends (issue 14 item 3): what each admin
// reaches and from where, last use from the activity log, CSV export with formula cells
// defused, certifications, removal of unused grants with the escalation check, and tenant
// isolation between providers.
#include <algorithm>
#include <filesystem>
#include <unistd.h>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class AccessReviewTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p = createProvider("Provider A");
    o1 = createOrg(p, "Acme");
    o2 = createOrg(p, "Globex");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
    hd = createAdmin(p, SeedAdmin{.role = "help_desk",
                                  .organizations = {{o1, ""}, {o2, "manager", now() + 90 * 86400}}});
  }

  std::string review() const { return "/api/v2/providers/" + p + "/access-review"; }

  // An event `admin` initiated in `org` now: the admin used that access.
  void used(const std::string& admin, const std::string& org) {
    model::ActivityRecord e;
    e.event_type = "user_update";
    e.initiated_by_id = admin;
    e.initiated_by_type = "admin";
    e.organization = org;
    e.timestamp = now();
    auto done = app().store().transact([&](store::Tx& tx) { return tx.appendActivity(model::TenantScope{p}, e); });
    ASSERT_TRUE(done.has_value());
  }

  static const json* adminIn(const json& body, const std::string& id) {
    for (const auto& a : body["results"]) {
      if (a["adminId"] == id) return &a;
    }
    return nullptr;
  }
  static const json* orgIn(const json& admin, const std::string& org) {
    for (const auto& o : admin["organizations"]) {
      if (o["organization"] == org) return &o;
    }
    return nullptr;
  }

  std::vector<std::string> grantsOf(const std::string& admin) {
    auto g = app().store().query([&](store::Tx& tx) { return tx.listGrants(model::TenantScope{p}, admin); });
    EXPECT_TRUE(g.has_value());
    std::vector<std::string> out;
    if (g) for (const auto& x : *g) out.push_back(x.org_id);
    return out;
  }

  int count(const std::string& type) {
    int n = 0;
    for (const auto& e : activity(p)) n += e.event_type == type;
    return n;
  }

  std::string p, o1, o2;
  SeededAdmin owner, hd;
};

TEST_P(AccessReviewTest, ListsEveryAdminsOrgsWithSourcesExpiryAndLastUse) {
  used(hd.id, o1);
  auto r = call("GET", review(), owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  EXPECT_EQ(b["totalCount"], 2);
  const json* h = adminIn(b, hd.id);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ((*h)["roleName"], "help_desk");
  EXPECT_EQ((*h)["allOrganizations"], false);
  ASSERT_EQ((*h)["organizations"].size(), 2u);
  const json* in1 = orgIn(*h, o1);
  ASSERT_NE(in1, nullptr);
  EXPECT_EQ((*in1)["reach"], "grant");
  EXPECT_EQ((*in1)["role"], "help_desk");
  EXPECT_EQ((*in1)["roleSource"], "default");
  EXPECT_NE(std::find((*in1)["actions"].begin(), (*in1)["actions"].end(), "users.unlock"), (*in1)["actions"].end());
  EXPECT_EQ(std::find((*in1)["actions"].begin(), (*in1)["actions"].end(), "users.create"), (*in1)["actions"].end());
  EXPECT_TRUE((*in1)["policyPermitted"].empty());
  EXPECT_TRUE((*in1)["expiresAt"].is_null());
  EXPECT_TRUE((*in1)["lastUsedAt"].is_string()) << in1->dump();
  const json* in2 = orgIn(*h, o2);
  ASSERT_NE(in2, nullptr);
  EXPECT_EQ((*in2)["role"], "manager");
  EXPECT_EQ((*in2)["roleSource"], "perOrg");
  EXPECT_NE(std::find((*in2)["actions"].begin(), (*in2)["actions"].end(), "users.create"), (*in2)["actions"].end());
  EXPECT_TRUE((*in2)["expiresAt"].is_string());
  EXPECT_TRUE((*in2)["lastUsedAt"].is_null());
  // help_desk holds admins.read for the provider, not access_review.read.
  EXPECT_NE(std::find((*h)["providerActions"].begin(), (*h)["providerActions"].end(), "admins.read"),
            (*h)["providerActions"].end());

  const json* o = adminIn(b, owner.id);
  ASSERT_NE(o, nullptr);
  ASSERT_EQ((*o)["organizations"].size(), 2u);
  EXPECT_EQ((*o)["organizations"][0]["reach"], "allOrganizations");
  EXPECT_TRUE((*o)["lastCertification"].is_null());
}

TEST_P(AccessReviewTest, NeedsAccessReviewReadBesidesAdminsRead) {
  // help_desk reads admins but not the review; admin (the role) reads it.
  auto r = call("GET", review(), hd.token);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "permission_denied");
  auto ad = createAdmin(p, SeedAdmin{.role = "admin", .all_organizations = true});
  EXPECT_EQ(call("GET", review(), ad.token).status, 200);
  // ... but admin may not certify, nor remove grants.
  EXPECT_EQ(call("POST", review() + "/certifications", ad.token, json{{"adminId", hd.id}}.dump()).status, 403);
  EXPECT_EQ(call("POST", review() + "/remove-unused", ad.token, json{{"days", 1}}.dump()).status, 403);
  EXPECT_EQ(count("access_review_certify"), 0);
}

TEST_P(AccessReviewTest, AnotherProvidersAdminNeverSeesOrChangesTheReview) {
  const std::string q = createProvider("Provider B");
  createOrg(q, "B's client");
  auto other = createAdmin(q, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  auto r = call("GET", review(), other.token);
  EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status;
  EXPECT_EQ(r.body.find(hd.email), std::string::npos);
  EXPECT_EQ(r.body.find(hd.id), std::string::npos);
  r = call("GET", review() + "?format=csv", other.token);
  EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status;
  EXPECT_EQ(r.body.find(hd.email), std::string::npos);
  r = call("POST", review() + "/certifications", other.token, json{{"adminId", hd.id}, {"note", "x"}}.dump());
  EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status;
  advance(40 * 86400);
  const std::string token = mintToken(q, other.id);
  r = call("POST", review() + "/remove-unused", token, json{{"days", 1}}.dump());
  EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status;
  EXPECT_EQ(grantsOf(hd.id).size(), 2u);
  // B's own review does not list A's admins; A's admin id is unknown there.
  r = call("POST", "/api/v2/providers/" + q + "/access-review/certifications", token,
           json{{"adminId", hd.id}}.dump());
  EXPECT_EQ(r.status, 404) << r.body;
  r = call("GET", "/api/v2/providers/" + q + "/access-review", token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totalCount"], 1);
  EXPECT_EQ(r.body.find(hd.id), std::string::npos);
  EXPECT_EQ(count("access_review_certify"), 0);
}

TEST_P(AccessReviewTest, CsvQuotesAndDefusesFormulaCells) {
  const std::string evil = createOrg(p, "=HYPERLINK(\"http://x\",\"a,b\")");
  auto t = createAdmin(p, SeedAdmin{.role = "read_only", .organizations = {{evil, ""}}});
  auto r = call("GET", review() + "?format=csv", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(r.header("content-disposition").find("access-review.csv"), std::string::npos);
  EXPECT_EQ(r.body.rfind("adminId,email,status,roleName,", 0), 0u);
  EXPECT_NE(r.body.find(",\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\","), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(",=HYPERLINK"), std::string::npos);
  EXPECT_NE(r.body.find(t.id + "," + t.email + ",active,read_only,false," + evil), std::string::npos) << r.body;
  // One row per admin and org, plus the header: owner 3, hd 2, t 1.
  std::size_t rows = 0;
  for (std::size_t i = r.body.find("\r\n"); i != std::string::npos; i = r.body.find("\r\n", i + 2)) ++rows;
  EXPECT_EQ(rows, 7u);
  EXPECT_EQ(call("GET", review() + "?format=xml", owner.token).status, 400);
  EXPECT_EQ(call("GET", review() + "?nope=1", owner.token).status, 400);
}

TEST_P(AccessReviewTest, CertificationIsRecordedWithOneEventAndListed) {
  auto r = call("POST", review() + "/certifications", owner.token,
                json{{"adminId", hd.id}, {"note", "Q4 review: help desk access confirmed"}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["certifiedBy"]["id"], owner.id);
  EXPECT_EQ(count("access_review_certify"), 1);
  advance(60);
  r = call("POST", review() + "/certifications", owner.token, json{{"adminId", hd.id}, {"note", "again"}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(count("access_review_certify"), 2);

  r = call("GET", review(), owner.token);
  ASSERT_EQ(r.status, 200);
  const json b = body(r);
  const json* h = adminIn(b, hd.id);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ((*h)["lastCertification"]["note"], "again");
  EXPECT_EQ((*h)["lastCertification"]["certifiedBy"]["email"], owner.email);
  EXPECT_TRUE((*adminIn(b, owner.id))["lastCertification"].is_null());

  EXPECT_EQ(call("POST", review() + "/certifications", owner.token, json{{"adminId", "nope"}}.dump()).status, 404);
  EXPECT_EQ(call("POST", review() + "/certifications", owner.token, json{{"note", "x"}}.dump()).status, 400);
  EXPECT_EQ(call("POST", review() + "/certifications", owner.token,
                 json{{"adminId", hd.id}, {"note", std::string(3000, 'x')}}.dump()).status, 400);
  EXPECT_EQ(call("POST", review() + "/certifications", owner.token, json{{"adminId", hd.id}, {"x", 1}}.dump()).status, 400);
  EXPECT_EQ(count("access_review_certify"), 2);
}

TEST_P(AccessReviewTest, RemovesGrantsUnusedForNDaysOneEventEach) {
  advance(40 * 86400);
  used(hd.id, o1);  // o1 used today; o2 never
  const std::string token = mintToken(p, owner.id);
  const int before = count("admin_update");
  auto r = call("POST", review() + "/remove-unused", token, json{{"days", 30}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["results"].size(), 1u) << r.body;
  EXPECT_EQ(b["results"][0]["adminId"], hd.id);
  EXPECT_EQ(b["results"][0]["organization"], o2);
  EXPECT_EQ(b["results"][0]["status"], 200);
  EXPECT_EQ(grantsOf(hd.id), std::vector<std::string>{o1});
  EXPECT_EQ(count("admin_update"), before + 1);
  // Nothing more to remove; a grant used lately stays even with adminIds.
  r = call("POST", review() + "/remove-unused", token, json{{"days", 30}, {"adminIds", json::array({hd.id, "nope"})}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(body(r)["results"].size(), 1u) << r.body;
  EXPECT_EQ(body(r)["results"][0]["status"], 404);
  EXPECT_EQ(count("admin_update"), before + 1);
  EXPECT_EQ(call("POST", review() + "/remove-unused", token, json{{"days", 0}}.dump()).status, 400);
  EXPECT_EQ(call("POST", review() + "/remove-unused", token, json::object().dump()).status, 400);
  EXPECT_EQ(call("POST", review() + "/remove-unused", token, json{{"days", "30"}}.dump()).status, 400);
}

TEST_P(AccessReviewTest, RemovalRefusesWhatTheEscalationCheckRefuses) {
  // A scoped admin_billing reaching o1 only cannot remove the grants of an admin who reaches
  // o2 as well (beyond the actor): each item is refused, nothing changes.
  auto scoped = createAdmin(p, SeedAdmin{.role = "admin_billing", .organizations = {{o1, ""}}});
  advance(40 * 86400);
  used(scoped.id, o1);
  const std::string token = mintToken(p, scoped.id);
  const int before = count("admin_update");
  auto r = call("POST", review() + "/remove-unused", token, json{{"days", 30}, {"adminIds", json::array({hd.id})}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["results"].size(), 2u) << r.body;
  for (const auto& item : b["results"]) {
    EXPECT_EQ(item["status"], 403) << item.dump();
    EXPECT_EQ(item["error"]["code"], "permission_denied");
  }
  EXPECT_EQ(grantsOf(hd.id).size(), 2u);
  EXPECT_EQ(count("admin_update"), before);
}

MTP_SERVICE_BACKENDS(AccessReviewTest);

// With custom policies (two shipped examples: a permit beyond the help desk role in orgs
// tagged help-desk-commands, a forbid of devices.shutdown in orgs tagged change-freeze), the
// review tells what the role gives from what a policy adds or takes away.
class AccessReviewPolicyTest : public ServiceTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    namespace fs = std::filesystem;
    static int n = 0;
    const fs::path src = std::getenv("MTP_SOURCE_DIR") ? std::getenv("MTP_SOURCE_DIR") : ".";
    dir_ = fs::temp_directory_path() / ("mtp_review_policies_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy_file(src / "policies" / "builtin" / "roles.yaml", dir_ / "roles.yaml");
    fs::copy_file(src / "policies" / "examples" / "help_desk_commands.yaml", dir_ / "help_desk_commands.yaml");
    fs::copy_file(src / "policies" / "examples" / "change_freeze.yaml", dir_ / "change_freeze.yaml");
    o.policies = dir_.string();
  }
  void TearDown() override {
    ServiceTest::TearDown();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
};

TEST_P(AccessReviewPolicyTest, TellsRoleFromPolicy) {
  const std::string p = createProvider("Provider A");
  const std::string cmds = createOrg(p, "Commands OK", {"help-desk-commands"});
  const std::string frozen = createOrg(p, "Frozen", {"change-freeze"});
  auto owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  auto hd = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{cmds, ""}}});
  auto r = call("GET", "/api/v2/providers/" + p + "/access-review", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  auto has = [](const json& list, const std::string& a) {
    return std::find(list.begin(), list.end(), a) != list.end();
  };
  bool seen_hd = false, seen_frozen = false;
  for (const auto& a : b["results"]) {
    for (const auto& o : a["organizations"]) {
      if (a["adminId"] == hd.id && o["organization"] == cmds) {
        seen_hd = true;
        EXPECT_TRUE(has(o["actions"], "commands.run")) << o.dump();
        EXPECT_TRUE(has(o["policyPermitted"], "commands.run")) << o.dump();
        EXPECT_FALSE(has(o["policyPermitted"], "users.unlock")) << o.dump();
        EXPECT_TRUE(o["policyForbidden"].empty()) << o.dump();
      }
      if (a["adminId"] == owner.id && o["organization"] == frozen) {
        seen_frozen = true;
        EXPECT_FALSE(has(o["actions"], "devices.shutdown")) << o.dump();
        EXPECT_TRUE(has(o["policyForbidden"], "devices.shutdown")) << o.dump();
        EXPECT_TRUE(o["policyPermitted"].empty()) << o.dump();
      }
    }
  }
  EXPECT_TRUE(seen_hd);
  EXPECT_TRUE(seen_frozen);
}

MTP_SERVICE_BACKENDS(AccessReviewPolicyTest);

}  // namespace
}  // namespace mtp::testing
