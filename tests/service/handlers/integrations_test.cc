// PSA integrations end to end (issue 12 item 1) over real HTTP on both backends, against a
// fake ConnectWise / Autotask on loopback that checks every request: configuration with
// write-only credentials, connection test (ok, failing, slow), mappings (another provider's
// org and an unreached org refused, nothing written), sync now (queued, run by the sync job,
// the right requests), failure then retry, ticket once per alert, requests, isolation.
#include <algorithm>
#include <chrono>
#include <thread>

#include "fake_psa.h"
#include "app/psa_sync.h"
#include "main/psa_sync_job.h"
#include "psa/psa_client.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

const FakePsa::Credentials kCw{.company_id = "acmemsp", .client_id = "client-uuid-1", .username = "pubKEY123",
                               .secret = "privSECRETvalue42"};
const FakePsa::Credentials kAt{.integration_code = "INTCODE77", .username = "api@msp.example",
                               .secret = "atSECRETvalue99"};

class IntegrationsTest : public ServiceTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    o.psa_clients = psa::defaultClientFactory(psa::Transport{milliseconds(1000), milliseconds(1500), psa::Reach::kAnyAddress});
  }

  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p = createProvider("Provider A");
    o1 = createOrg(p, "Acme");
    o2 = createOrg(p, "Globex");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
    q = createProvider("Provider B");
    q1 = createOrg(q, "B org");
    service::PsaSyncJobOptions jo;
    jo.poll = milliseconds(50);
    jo.tickets_every = milliseconds(50);
    jo.daily = false;
    job = service::PsaSyncJob::start(app(), jo);
  }

  void TearDown() override {
    if (job) job->stop();
    ServiceTest::TearDown();
  }

  std::string base() const { return "/api/v2/providers/" + p + "/integrations"; }

  HttpResponse putConnectWise(const FakePsa& fake, const std::string& secret = kCw.secret, json extra = json::object()) {
    json b = {{"siteUrl", fake.url()}, {"companyId", kCw.company_id}, {"clientId", kCw.client_id},
              {"publicKey", kCw.username}, {"pricePerUserCents", 250}};
    if (!secret.empty()) b["privateKey"] = secret;
    b.update(extra);
    return call("PUT", base() + "/connectwise", owner.token, b.dump());
  }

  HttpResponse putAutotask(const FakePsa& fake) {
    json b = {{"siteUrl", fake.url()}, {"integrationCode", kAt.integration_code}, {"userName", kAt.username},
              {"secret", kAt.secret}, {"pricePerUserCents", 400}};
    return call("PUT", base() + "/autotask", owner.token, b.dump());
  }

  void users(const std::string& org, int n) {
    for (int i = 0; i < n; ++i) {
      model::SystemUserRecord u;
      u.org_id = org;
      u.username = "u" + std::to_string(++users_);
      u.email = u.username + "@client.example";
      auto id = app().store().transact(
          [&](store::Tx& tx) { return tx.createSystemUser(model::TenantScope{p}, u, std::nullopt); });
      ASSERT_TRUE(id.has_value());
      last_user = *id;
    }
  }

  // Waits until the newest sync run has `status`; returns it.
  json waitRun(const std::string& kind, const std::string& status, int attempt = 0) {
    json last;
    for (int i = 0; i < 200; ++i) {
      auto r = call("GET", base() + "/" + kind + "/syncs", owner.token);
      if (r.status == 200 && !body(r)["results"].empty()) {
        last = body(r)["results"][0];
        if (last["status"] == status && (attempt == 0 || last["attempt"] == attempt)) return last;
      }
      std::this_thread::sleep_for(milliseconds(25));
    }
    ADD_FAILURE() << "no " << status << " run; last: " << last.dump();
    return last;
  }

  int events(const std::string& type) {
    int n = 0;
    for (const auto& e : activity(p)) n += e.event_type == type;
    return n;
  }

  std::string p, o1, o2, q, q1, last_user;
  SeededAdmin owner;
  int users_ = 0;
  std::unique_ptr<service::PsaSyncJob> job;
};

TEST_P(IntegrationsTest, ListsBothKindsUnconfigured) {
  auto r = call("GET", base(), owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body(r);
  ASSERT_EQ(b["results"].size(), 2u);
  EXPECT_EQ(b["results"][0]["kind"], "connectwise");
  EXPECT_EQ(b["results"][0]["configured"], false);
  EXPECT_EQ(b["results"][1]["kind"], "autotask");
}

TEST_P(IntegrationsTest, CredentialsAreWriteOnlyAndSealedAtRest) {
  FakePsa fake("connectwise", kCw);
  auto first = putConnectWise(fake, "");
  EXPECT_EQ(first.status, 400) << first.body;  // no private key yet
  auto r = putConnectWise(fake);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["hasCredentials"], true);
  EXPECT_FALSE(body(r).contains("privateKey"));
  EXPECT_EQ(r.body.find(kCw.secret), std::string::npos);
  auto list = call("GET", base(), owner.token);
  EXPECT_EQ(list.body.find(kCw.secret), std::string::npos);
  EXPECT_EQ(body(list)["results"][0]["configured"], true);
  EXPECT_EQ(body(list)["results"][0]["publicKey"], kCw.username);
  // Updating without the key keeps the stored one.
  auto again = putConnectWise(fake, "", {{"pricePerUserCents", 300}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(body(again)["pricePerUserCents"], 300);
  auto t = call("POST", base() + "/connectwise/test", owner.token);
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(body(t)["ok"], true) << t.body;
  // At rest: sealed, never plain; in the activity log: never.
  auto rec = app().store().query([&](store::Tx& tx) { return tx.getIntegration(model::TenantScope{p}, "connectwise"); });
  ASSERT_TRUE(rec.has_value());
  EXPECT_TRUE(rec->secret_sealed.starts_with("v1:")) << rec->secret_sealed;
  EXPECT_EQ(rec->secret_sealed.find(kCw.secret), std::string::npos);
  for (const auto& e : activity(p)) EXPECT_EQ(e.changes_json.find(kCw.secret), std::string::npos) << e.changes_json;
  EXPECT_EQ(events("integration_update"), 2);
  EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

TEST_P(IntegrationsTest, ConnectionTestOkFailingAndSlow) {
  FakePsa fake("connectwise", kCw);
  auto none = call("POST", base() + "/connectwise/test", owner.token);
  EXPECT_EQ(none.status, 409) << none.body;
  ASSERT_EQ(putConnectWise(fake).status, 200);
  auto ok = call("POST", base() + "/connectwise/test", owner.token);
  EXPECT_EQ(body(ok)["ok"], true) << ok.body;
  fake.failNext(1, 500);
  auto failed = call("POST", base() + "/connectwise/test", owner.token);
  EXPECT_EQ(body(failed)["ok"], false) << failed.body;
  EXPECT_NE(body(failed)["message"].get<std::string>().find("500"), std::string::npos) << failed.body;
  fake.delay(milliseconds(3000));
  const auto t0 = std::chrono::steady_clock::now();
  auto slow = call("POST", base() + "/connectwise/test", owner.token);
  EXPECT_EQ(body(slow)["ok"], false) << slow.body;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(2900));  // the client's 1.5 s timeout
  fake.delay(milliseconds(0));
  ASSERT_EQ(putConnectWise(fake, "wrong-private-key").status, 200);
  auto denied = call("POST", base() + "/connectwise/test", owner.token);
  EXPECT_EQ(body(denied)["ok"], false);
  EXPECT_NE(body(denied)["message"].get<std::string>().find("401"), std::string::npos) << denied.body;
  EXPECT_EQ(denied.body.find("wrong-private-key"), std::string::npos);
}

TEST_P(IntegrationsTest, MappingsRefuseAnotherProvidersOrgAndAnUnreachedOrg) {
  FakePsa fake("connectwise", kCw);
  const json m1 = {{"organization", o1}, {"psaCompanyId", "11"}, {"psaCompanyName", "Acme Inc"},
                   {"agreementId", 300}, {"additionId", "25"}};
  auto unconfigured = call("PUT", base() + "/connectwise/mappings", owner.token, json{{"mappings", {m1}}}.dump());
  EXPECT_EQ(unconfigured.status, 409) << unconfigured.body;
  ASSERT_EQ(putConnectWise(fake).status, 200);
  json foreign = m1;
  foreign["organization"] = q1;
  auto r = call("PUT", base() + "/connectwise/mappings", owner.token, json{{"mappings", {m1, foreign}}}.dump());
  EXPECT_EQ(r.status, 404) << r.body;
  auto listed = call("GET", base() + "/connectwise/mappings", owner.token);
  EXPECT_EQ(body(listed)["totalCount"], 0);
  // An admin with billing who reaches o1 only.
  auto limited = createAdmin(p, SeedAdmin{.role = "admin_billing", .organizations = {{o1, ""}}});
  json m2 = m1;
  m2["organization"] = o2;
  auto unreached = call("PUT", base() + "/connectwise/mappings", limited.token, json{{"mappings", {m1, m2}}}.dump());
  EXPECT_EQ(unreached.status, 404) << unreached.body;
  EXPECT_EQ(body(call("GET", base() + "/connectwise/mappings", owner.token))["totalCount"], 0);
  auto mine = call("PUT", base() + "/connectwise/mappings", limited.token, json{{"mappings", {m1}}}.dump());
  ASSERT_EQ(mine.status, 200) << mine.body;
  const json got = body(mine)["results"][0];
  EXPECT_EQ(got["organizationName"], "Acme");
  EXPECT_EQ(got["agreementId"], "300");
  EXPECT_EQ(events("integration_mappings_update"), 1);
}

TEST_P(IntegrationsTest, SyncNowWritesEachOrgsHighWaterMarkAndPriceToConnectWise) {
  FakePsa fake("connectwise", kCw);
  users(o1, 3);
  users(o2, 1);
  ASSERT_EQ(putConnectWise(fake).status, 200);
  const json maps = {{{"organization", o1}, {"psaCompanyId", "11"}, {"agreementId", "300"}, {"additionId", "25"}},
                     {{"organization", o2}, {"psaCompanyId", "12"}, {"agreementId", "301"}, {"additionId", "26"}}};
  ASSERT_EQ(call("PUT", base() + "/connectwise/mappings", owner.token, json{{"mappings", maps}}.dump()).status, 200);
  auto queued = call("POST", base() + "/connectwise/sync", owner.token);
  ASSERT_EQ(queued.status, 202) << queued.body;
  EXPECT_EQ(body(queued)["status"], "queued");
  const json run = waitRun("connectwise", "ok");
  EXPECT_EQ(run["organizationsSynced"], 2);
  ASSERT_EQ(fake.count("/additions/"), 2u);
  for (const auto& req : fake.requests()) {
    if (req.path.find("/additions/") == std::string::npos) continue;
    EXPECT_EQ(req.method, "PATCH");
    const json ops = json::parse(req.body);
    const bool acme = req.path == "/v4_6_release/apis/3.0/finance/agreements/300/additions/25";
    const bool globex = req.path == "/v4_6_release/apis/3.0/finance/agreements/301/additions/26";
    ASSERT_TRUE(acme || globex) << req.path;
    EXPECT_EQ(ops[0]["path"], "quantity");
    EXPECT_EQ(ops[0]["value"], acme ? 3 : 1) << req.body;
    EXPECT_EQ(ops[1]["path"], "unitPrice");
    EXPECT_DOUBLE_EQ(ops[1]["value"].get<double>(), 2.5);
  }
  EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
  EXPECT_EQ(events("integration_sync_queued"), 1);
  EXPECT_EQ(events("integration_sync"), 1);
  auto list = body(call("GET", base(), owner.token));
  EXPECT_EQ(list["results"][0]["lastSync"]["status"], "ok");
  EXPECT_EQ(list["results"][0]["mappedOrganizations"], 2);
}

TEST_P(IntegrationsTest, FailedSyncIsRetriedWithBackOffAndThenSucceeds) {
  FakePsa fake("connectwise", kCw);
  users(o1, 2);
  ASSERT_EQ(putConnectWise(fake).status, 200);
  const json maps = {{{"organization", o1}, {"psaCompanyId", "11"}, {"agreementId", "300"}, {"additionId", "25"}}};
  ASSERT_EQ(call("PUT", base() + "/connectwise/mappings", owner.token, json{{"mappings", maps}}.dump()).status, 200);
  fake.failNext(1, 500);
  ASSERT_EQ(call("POST", base() + "/connectwise/sync", owner.token).status, 202);
  json failed;
  for (int i = 0; i < 200; ++i) {  // the failed attempt, then its retry queued
    auto runs = body(call("GET", base() + "/connectwise/syncs", owner.token))["results"];
    if (runs.size() >= 2 && runs[1]["status"] == "failed") {
      failed = runs[1];
      EXPECT_EQ(runs[0]["status"], "queued");
      EXPECT_EQ(runs[0]["attempt"], 2);
      EXPECT_EQ(runs[0]["reason"], "retry");
      break;
    }
    std::this_thread::sleep_for(milliseconds(25));
  }
  ASSERT_FALSE(failed.is_null());
  EXPECT_NE(failed["message"].get<std::string>().find("500"), std::string::npos) << failed.dump();
  std::this_thread::sleep_for(milliseconds(300));  // not before its back-off
  EXPECT_EQ(fake.count("/additions/", false), 1u);
  advance(61);
  const json retried = waitRun("connectwise", "ok", 2);
  EXPECT_EQ(retried["organizationsSynced"], 1);
  EXPECT_EQ(fake.count("/additions/"), 1u);
  EXPECT_EQ(events("integration_sync"), 2);
}

TEST_P(IntegrationsTest, SlowPsaFailsTheRunByTimeoutNotTheRequest) {
  FakePsa fake("connectwise", kCw);
  ASSERT_EQ(putConnectWise(fake).status, 200);
  const json maps = {{{"organization", o1}, {"psaCompanyId", "11"}, {"agreementId", "300"}, {"additionId", "25"}}};
  ASSERT_EQ(call("PUT", base() + "/connectwise/mappings", owner.token, json{{"mappings", maps}}.dump()).status, 200);
  fake.delay(milliseconds(3000));
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(call("POST", base() + "/connectwise/sync", owner.token).status, 202);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(1000));  // never waits for the PSA
  json failed;
  for (int i = 0; i < 200 && failed.is_null(); ++i) {
    auto runs = body(call("GET", base() + "/connectwise/syncs", owner.token))["results"];
    for (const auto& r : runs) {
      if (r["status"] == "failed") failed = r;
    }
    std::this_thread::sleep_for(milliseconds(25));
  }
  ASSERT_FALSE(failed.is_null());
  EXPECT_NE(failed["message"].get<std::string>().find("unreachable"), std::string::npos) << failed.dump();
}

TEST_P(IntegrationsTest, AutotaskSyncAdjustsTheContractServiceUnitsToTheHighWaterMark) {
  FakePsa fake("autotask", kAt);
  users(o1, 3);
  fake.setUnits(77, 5);
  ASSERT_EQ(putAutotask(fake).status, 200);
  auto t = call("POST", base() + "/autotask/test", owner.token);
  EXPECT_EQ(body(t)["ok"], true) << t.body;
  const json maps = {{{"organization", o1}, {"psaCompanyId", 29683}, {"contractId", 500}, {"serviceId", 77}}};
  ASSERT_EQ(call("PUT", base() + "/autotask/mappings", owner.token, json{{"mappings", maps}}.dump()).status, 200);
  ASSERT_EQ(call("POST", base() + "/autotask/sync", owner.token).status, 202);
  waitRun("autotask", "ok");
  EXPECT_EQ(fake.units(77), 3);
  bool seen = false;
  for (const auto& req : fake.requests()) {
    if (req.path != "/atservicesrest/v1.0/ContractServiceAdjustments") continue;
    const json b = json::parse(req.body);
    EXPECT_EQ(b["contractID"], 500);
    EXPECT_EQ(b["contractServiceID"], 77);
    EXPECT_EQ(b["unitChange"], -2);
    EXPECT_DOUBLE_EQ(b["adjustedUnitPrice"].get<double>(), 4.0);
    seen = true;
  }
  EXPECT_TRUE(seen);
  EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

TEST_P(IntegrationsTest, EachAlertOpensOneTicket) {
  FakePsa fake("connectwise", kCw);
  users(o1, 1);
  ASSERT_EQ(putConnectWise(fake, kCw.secret, {{"ticketAlertKinds", {"user_locked"}}}).status, 200);
  const json maps = {{{"organization", o1}, {"psaCompanyId", "11"}, {"agreementId", "300"}, {"additionId", "25"}}};
  ASSERT_EQ(call("PUT", base() + "/connectwise/mappings", owner.token, json{{"mappings", maps}}.dump()).status, 200);
  auto locked = app().store().transact(
      [&](store::Tx& tx) { return tx.recordSystemUserFailedLogin(model::TenantScope{p}, o1, last_user, 1); });
  ASSERT_TRUE(locked.has_value());
  ASSERT_TRUE(fake.waitFor("/service/tickets", 1, milliseconds(5000)));
  std::this_thread::sleep_for(milliseconds(400));  // several more passes
  EXPECT_EQ(fake.count("/service/tickets"), 1u);
  const json t = json::parse(fake.requests().back().body);
  EXPECT_EQ(t["company"]["id"], 11);
  auto tickets = app().store().query([&](store::Tx& tx) { return tx.listPsaTickets(model::TenantScope{p}, "connectwise"); });
  ASSERT_TRUE(tickets.has_value());
  ASSERT_EQ(tickets->size(), 1u);
  EXPECT_EQ(tickets->front().status, "opened");
  EXPECT_EQ(events("integration_ticket"), 1);
  EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

TEST_P(IntegrationsTest, AnInactiveDeviceOpensOneAutotaskTicket) {
  FakePsa fake("autotask", kAt);
  model::DeviceRecord v;
  v.org_id = o1;
  v.hostname = v.display_name = "old-laptop";
  v.os = "Ubuntu 24.04";
  v.os_family = "linux";
  v.version = "1.0";
  auto id = app().store().transact([&](store::Tx& tx) { return tx.createDevice(model::TenantScope{p}, v, "psatesthash"); });
  ASSERT_TRUE(id.has_value());
  model::DeviceCheckin c;
  c.at = now() - 8 * 86400;
  ASSERT_TRUE(app().store().transact([&](store::Tx& tx) { return tx.recordCheckin(model::TenantScope{p}, *id, c); }));
  json b = {{"siteUrl", fake.url()}, {"integrationCode", kAt.integration_code}, {"userName", kAt.username},
            {"secret", kAt.secret}, {"ticketAlertKinds", {"device_inactive_7d"}}};
  ASSERT_EQ(call("PUT", base() + "/autotask", owner.token, b.dump()).status, 200);
  const json maps = {{{"organization", o1}, {"psaCompanyId", "29683"}, {"contractId", "500"}, {"serviceId", "77"}}};
  ASSERT_EQ(call("PUT", base() + "/autotask/mappings", owner.token, json{{"mappings", maps}}.dump()).status, 200);
  ASSERT_TRUE(fake.waitFor("/Tickets", 1, milliseconds(5000)));
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(fake.count("/Tickets"), 1u);
  const json t = json::parse(fake.requests().back().body);
  EXPECT_EQ(t["companyID"], 29683);
  EXPECT_NE(t["title"].get<std::string>().find("old-laptop"), std::string::npos) << t.dump();
  EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

TEST_P(IntegrationsTest, DailySyncIsQueuedOncePerDay) {
  FakePsa fake("connectwise", kCw);
  users(o1, 2);
  ASSERT_EQ(putConnectWise(fake).status, 200);
  const json maps = {{{"organization", o1}, {"psaCompanyId", "11"}, {"agreementId", "300"}, {"additionId", "25"}}};
  ASSERT_EQ(call("PUT", base() + "/connectwise/mappings", owner.token, json{{"mappings", maps}}.dump()).status, 200);
  EXPECT_EQ(app::runPsaPass(app(), false, true).queued_daily, 1);
  const json run = waitRun("connectwise", "ok");
  EXPECT_EQ(run["reason"], "daily");
  EXPECT_EQ(app::runPsaPass(app(), false, true).queued_daily, 0);  // not again the same day
  advance(86401);
  EXPECT_EQ(app::runPsaPass(app(), false, true).queued_daily, 1);
  ASSERT_TRUE(fake.waitFor("/additions/", 2, milliseconds(5000)));
}

TEST_P(IntegrationsTest, RequestsAreStoredWithAnEvent) {
  auto beta = call("POST", base() + "/requests", owner.token, R"({"kind":"beta"})");
  EXPECT_EQ(beta.status, 201) << beta.body;
  auto req = call("POST", base() + "/requests", owner.token, R"({"kind":"integration","text":"HaloPSA please"})");
  EXPECT_EQ(req.status, 201) << req.body;
  EXPECT_EQ(call("POST", base() + "/requests", owner.token, R"({"kind":"integration"})").status, 400);
  auto rows = app().store().query([&](store::Tx& tx) { return tx.listIntegrationRequests(model::TenantScope{p}); });
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2u);
  // Both made in the same second: newest first cannot tell them apart, so look for it.
  EXPECT_TRUE(std::any_of(rows->begin(), rows->end(), [](const auto& r) { return r.text == "HaloPSA please"; }));
  EXPECT_EQ(events("integration_request"), 2);
}

TEST_P(IntegrationsTest, DeleteRemovesTheIntegration) {
  FakePsa fake("connectwise", kCw);
  ASSERT_EQ(putConnectWise(fake).status, 200);
  EXPECT_EQ(call("DELETE", base() + "/connectwise", owner.token).status, 204);
  EXPECT_EQ(body(call("GET", base(), owner.token))["results"][0]["configured"], false);
  EXPECT_EQ(call("DELETE", base() + "/connectwise", owner.token).status, 204);
  EXPECT_EQ(events("integration_delete"), 1);
  EXPECT_EQ(call("PUT", base() + "/halopsa", owner.token, "{}").status, 404);
}

TEST_P(IntegrationsTest, IsolationOtherProviderAndRoles) {
  FakePsa fake("connectwise", kCw);
  ASSERT_EQ(putConnectWise(fake).status, 200);
  auto other = createAdmin(q, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  EXPECT_EQ(call("GET", base(), other.token).status, 404);
  EXPECT_EQ(call("POST", base() + "/connectwise/sync", other.token).status, 404);
  auto admin = createAdmin(p, SeedAdmin{.role = "admin", .all_organizations = true});
  EXPECT_EQ(call("GET", base(), admin.token).status, 200);  // integrations.read
  EXPECT_EQ(call("POST", base() + "/connectwise/sync", admin.token).status, 403);
  EXPECT_EQ(putConnectWise(fake).status, 200);
  EXPECT_EQ(call("PUT", base() + "/connectwise", admin.token, R"({"siteUrl":"http://x"})").status, 403);
  auto other_list = call("GET", "/api/v2/providers/" + q + "/integrations", other.token);
  EXPECT_EQ(body(other_list)["results"][0]["configured"], false);  // B sees none of A's
}

MTP_SERVICE_BACKENDS(IntegrationsTest);

// mtpd as it runs by default (no --psa-allow-private-networks): a site URL that leads to a
// loopback, private or link-local address (a cloud metadata service) is refused when the
// connection is made, by address or by name, and nothing reaches it (SSRF).
class IntegrationsPublicOnlyTest : public IntegrationsTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    o.psa_clients = psa::defaultClientFactory(psa::Transport{milliseconds(1000), milliseconds(1500)});
  }

  void expectRefused(const std::string& site) {
    auto put = call("PUT", base() + "/connectwise", owner.token,
                    json{{"siteUrl", site}, {"companyId", kCw.company_id}, {"clientId", kCw.client_id},
                         {"publicKey", kCw.username}, {"privateKey", kCw.secret}, {"pricePerUserCents", 250}}
                        .dump());
    ASSERT_EQ(put.status, 200) << put.body;
    const auto t0 = std::chrono::steady_clock::now();
    auto t = call("POST", base() + "/connectwise/test", owner.token);
    ASSERT_EQ(t.status, 200) << t.body;
    EXPECT_EQ(body(t)["ok"], false) << site << ": " << t.body;
    EXPECT_NE(body(t)["message"].get<std::string>().find("not public"), std::string::npos) << site << ": " << t.body;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(900)) << site;  // refused, not timed out
  }
};

TEST_P(IntegrationsPublicOnlyTest, ASiteUrlLeadingToAnInternalAddressIsRefusedBeforeAnyRequest) {
  FakePsa fake("connectwise", kCw);
  const std::string port = fake.url().substr(fake.url().rfind(':'));
  expectRefused(fake.url());                       // 127.0.0.1
  expectRefused("http://localhost" + port);        // a name that resolves to loopback
  expectRefused("http://[::1]" + port);
  expectRefused("http://169.254.169.254");         // the metadata service
  expectRefused("http://10.0.0.1:8080");
  EXPECT_TRUE(fake.requests().empty()) << fake.requests().size();
}

MTP_SERVICE_BACKENDS(IntegrationsPublicOnlyTest);

}  // namespace
}  // namespace mtp::testing
