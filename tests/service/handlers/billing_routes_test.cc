// Billing and usage over real HTTP on both backends: the high-water marks from a month of
// daily snapshots, invoices from the monthly close (idempotent), payments and owed, the
// billing information, roles and tenant isolation.
#include <algorithm>
#include <set>

#include "app/activity_service.h"
#include "app/billing_service.h"
#include "auth/random.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

class BillingRoutesTest : public ServiceTest {
 protected:
  void snapshot(const std::string& p, const std::string& org, model::EpochDay day,
                std::int64_t users, std::int64_t devices) {
    auto r = app().store().transact([&](store::Tx& tx) {
      return tx.recordUsageSnapshot(model::TenantScope{p}, org, day, users, devices);
    });
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  void price(const std::string& p, std::int64_t cents, std::optional<std::int64_t> cap = {}) {
    auto r = app::setBillingPrice(app().store(), model::TenantScope{p}, cents, cap);
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  app::CloseOutcome close(const std::string& p, app::Month m) {
    auto r = app::closeMonth(app().store(), model::TenantScope{p}, m, now());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : app::CloseOutcome{};
  }
  std::vector<model::ActivityRecord> events(const std::string& p, const std::string& type) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(p))
      if (e.event_type == type) out.push_back(std::move(e));
    return out;
  }
  app::Month current() const { return app::monthOf(now()); }
  app::Month last() const { return app::previousMonth(current()); }
  // The days of last month: 1..N.
  int lastMonthDays() const { return static_cast<int>(app::firstDayOf(current()) - app::firstDayOf(last())); }
};

TEST_P(BillingRoutesTest, MonthHelpers) {
  EXPECT_EQ(app::parseMonth("2026-02"), (app::Month{2026, 2}));
  EXPECT_FALSE(app::parseMonth("2026-13"));
  EXPECT_FALSE(app::parseMonth("2026-1"));
  EXPECT_FALSE(app::parseMonth("202a-01"));
  EXPECT_EQ(app::monthText({2026, 1}), "2026-01");
  EXPECT_EQ(app::previousMonth({2026, 1}), (app::Month{2025, 12}));
  EXPECT_EQ(app::nextMonth({2025, 12}), (app::Month{2026, 1}));
  EXPECT_EQ(app::firstDayOf({1970, 1}), 0);
  EXPECT_EQ(app::firstDayOf({2026, 3}) - app::firstDayOf({2026, 2}), 28);
  EXPECT_EQ(app::monthOf(app::startOf({2026, 11})), (app::Month{2026, 11}));
  EXPECT_EQ(app::monthOf(app::startOf({2026, 11}) - 1), (app::Month{2026, 10}));
}

TEST_P(BillingRoutesTest, UsageHighWaterMarksOverAMonthOfSnapshots) {
  auto p = createProvider("MSP");
  auto q = createProvider("Other");
  auto o1 = createOrg(p, "Alpha");
  auto o2 = createOrg(p, "Beta");
  auto o3 = createOrg(p, "Gamma");  // no snapshots at all
  auto qo = createOrg(q, "Other org");
  const auto first_last = app::firstDayOf(last());
  const auto first_cur = app::firstDayOf(current());
  const auto today = app::epochDayOf(now());
  // Last month: 10 + 5 users a day, and a peak on day 17 (70 + 30 = 100).
  for (int d = 0; d < lastMonthDays(); ++d) {
    const bool peak = d == 16;
    snapshot(p, o1, first_last + d, peak ? 70 : 10, 3);
    snapshot(p, o2, first_last + d, peak ? 30 : 5, 2);
  }
  // The other provider's far bigger numbers never count.
  snapshot(q, qo, first_last + 3, 5000, 10);
  snapshot(q, qo, today, 4000, 10);
  // This month, up to today: 20 + 7 on the first day, then 18 + 6 (today: 18 + 6).
  for (auto d = first_cur; d <= today; ++d) {
    snapshot(p, o1, d, d == first_cur ? 20 : 18, 4);
    snapshot(p, o2, d, d == first_cur ? 7 : 6, 1);
  }
  // Recording a day again replaces it: no double count.
  snapshot(p, o2, today, today == first_cur ? 7 : 6, 1);
  price(p, 350, 500);

  auto owner = createAdmin(p, SeedAdmin{"billing_only", false});
  auto r = call("GET", "/api/v2/providers/" + p + "/billing/usage", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["lastMonthHwm"], 100);
  EXPECT_EQ(j["currentHwm"], 27);
  EXPECT_EQ(j["currentUsers"], today == first_cur ? 27 : 24);
  EXPECT_EQ(j["devices"], 5);
  EXPECT_EQ(j["userCap"], 500);
  ASSERT_EQ(j["organizations"].size(), 3u);
  EXPECT_EQ(j["organizations"][0]["id"], o1);
  EXPECT_EQ(j["organizations"][0]["name"], "Alpha");
  EXPECT_EQ(j["organizations"][0]["currentUsers"], today == first_cur ? 20 : 18);
  EXPECT_EQ(j["organizations"][0]["usersLastMonth"], 70);
  EXPECT_EQ(j["organizations"][1]["usersLastMonth"], 30);
  EXPECT_EQ(j["organizations"][2]["id"], o3);
  EXPECT_EQ(j["organizations"][2]["currentUsers"], 0);
  EXPECT_EQ(j["organizations"][2]["usersLastMonth"], 0);

  // The daily series: the last 30 days up to today, oldest first, provider-wide sums.
  auto expectedUsers = [&](model::EpochDay d) -> std::int64_t {
    if (d >= first_cur) return d == first_cur ? 27 : 24;
    return d == first_last + 16 ? 100 : 15;
  };
  const auto& daily = j["daily"];
  ASSERT_TRUE(daily.is_array());
  const auto first_daily = std::max(today - 29, first_last);
  ASSERT_EQ(daily.size(), static_cast<std::size_t>(today - first_daily + 1));
  EXPECT_EQ(daily.back()["date"], app::formatRfc3339(today * 86400).substr(0, 10));
  EXPECT_EQ(daily.front()["date"], app::formatRfc3339(first_daily * 86400).substr(0, 10));
  for (std::size_t i = 0; i < daily.size(); ++i) {
    const auto d = first_daily + static_cast<model::EpochDay>(i);
    EXPECT_EQ(daily[i]["users"], expectedUsers(d)) << i;
    EXPECT_EQ(daily[i]["devices"], 5) << i;
  }
  // The monthly high-water marks: last month and this one.
  ASSERT_EQ(j["monthly"].size(), 2u);
  EXPECT_EQ(j["monthly"][0]["month"], app::monthText(last()));
  EXPECT_EQ(j["monthly"][0]["hwm"], 100);
  EXPECT_EQ(j["monthly"][1]["month"], app::monthText(current()));
  EXPECT_EQ(j["monthly"][1]["hwm"], 27);
  // ?days narrows the series; out-of-range or non-integer days are a 400.
  auto two = body(call("GET", "/api/v2/providers/" + p + "/billing/usage?days=2", owner.token));
  ASSERT_EQ(two["daily"].size(), 2u);
  EXPECT_EQ(two["daily"][1]["users"], expectedUsers(today));
  EXPECT_EQ(two["daily"][0]["users"], expectedUsers(today - 1));
  for (const char* bad_days : {"0", "367", "x", "3x", "-1"}) {
    auto b = call("GET", "/api/v2/providers/" + p + "/billing/usage?days=" + bad_days, owner.token);
    EXPECT_EQ(b.status, 400) << bad_days << " " << b.body;
  }

  auto hwm = app::monthHighWaterMark(app().store(), model::TenantScope{p}, last());
  ASSERT_TRUE(hwm.has_value());
  EXPECT_EQ(*hwm, 100);

  // A provider with nothing: zeros, no cap.
  auto other_owner = createAdmin(q, SeedAdmin{"admin_billing", false});
  auto empty = createProvider("Empty");
  auto e_owner = createAdmin(empty, SeedAdmin{"admin_billing", false});
  j = body(call("GET", "/api/v2/providers/" + empty + "/billing/usage", e_owner.token));
  EXPECT_EQ(j["lastMonthHwm"], 0);
  EXPECT_EQ(j["currentHwm"], 0);
  EXPECT_EQ(j["currentUsers"], 0);
  EXPECT_TRUE(j["userCap"].is_null());
  EXPECT_TRUE(j["organizations"].empty());
  EXPECT_TRUE(j["daily"].empty());
  EXPECT_TRUE(j["monthly"].empty());
  // Another provider's usage is not found.
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p + "/billing/usage", other_owner.token).status, 404);
  // A snapshot for an org of another provider is refused by the store.
  auto bad = app().store().transact([&](store::Tx& tx) {
    return tx.recordUsageSnapshot(model::TenantScope{p}, qo, today, 1, 1);
  });
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(bad.error().isNotFound());
}

TEST_P(BillingRoutesTest, CloseMonthBillsLastMonthsHwmOnceAndPaymentsSettleIt) {
  auto p = createProvider("MSP");
  auto o1 = createOrg(p, "Alpha");
  const auto first_last = app::firstDayOf(last());
  for (int d = 0; d < lastMonthDays(); ++d) snapshot(p, o1, first_last + d, d == 16 ? 42 : 12, 1);
  snapshot(p, o1, app::epochDayOf(now()), 90, 1);  // this month: not billed now

  // No price yet: nothing is billed.
  EXPECT_EQ(close(p, last()).kind, app::CloseOutcome::Kind::kNoPrice);
  price(p, 250);
  auto made = close(p, last());
  ASSERT_EQ(made.kind, app::CloseOutcome::Kind::kCreated);
  EXPECT_EQ(made.invoice.users, 42);
  EXPECT_EQ(made.invoice.billed_cents, 42 * 250);
  // Idempotent: the second close of the same month makes nothing.
  auto again = close(p, last());
  EXPECT_EQ(again.kind, app::CloseOutcome::Kind::kAlreadyClosed);
  EXPECT_EQ(again.invoice.id, made.invoice.id);
  EXPECT_EQ(events(p, "invoice_create").size(), 1u);

  auto owner = createAdmin(p, SeedAdmin{"admin_billing", false});
  const std::string base = "/api/v2/providers/" + p + "/invoices";
  auto r = call("GET", base, owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  ASSERT_EQ(j["totalCount"], 1);
  auto inv = j["results"][0];
  EXPECT_EQ(inv["id"], made.invoice.id);
  EXPECT_EQ(inv["number"], "INV-" + app::monthText(last()));
  EXPECT_EQ(inv["period"], app::monthText(last()));
  EXPECT_EQ(inv["status"], "open");
  EXPECT_EQ(inv["billed"], 10500);
  EXPECT_EQ(inv["paid"], 0);
  EXPECT_EQ(inv["owed"], 10500);
  EXPECT_EQ(inv["dueDate"], app::formatRfc3339(now() + 30 * 86400));

  const std::string one = base + "/" + made.invoice.id;
  // Payments: strict body, positive, not more than owed.
  EXPECT_EQ(call("POST", one + "/payments", owner.token, R"({"amountCents":0})").status, 400);
  EXPECT_EQ(call("POST", one + "/payments", owner.token, R"({"amountCents":-5})").status, 400);
  EXPECT_EQ(call("POST", one + "/payments", owner.token, R"({"reference":"x"})").status, 400);
  EXPECT_EQ(call("POST", one + "/payments", owner.token, R"({"amountCents":100,"paid":true})").status, 400);
  EXPECT_EQ(call("POST", one + "/payments", owner.token, R"({"amountCents":10501})").status, 400);
  EXPECT_EQ(call("POST", base + "/0000nosuchinvoice0000000/payments", owner.token, R"({"amountCents":1})").status, 404);
  EXPECT_TRUE(events(p, "invoice_payment").empty());

  r = call("POST", one + "/payments", owner.token, R"({"amountCents":4000,"reference":"wire 1"})");
  ASSERT_EQ(r.status, 201) << r.body;
  j = body(r);
  EXPECT_EQ(j["status"], "open");
  EXPECT_EQ(j["paid"], 4000);
  EXPECT_EQ(j["owed"], 6500);
  ASSERT_EQ(j["payments"].size(), 1u);
  EXPECT_EQ(j["payments"][0]["amountCents"], 4000);
  EXPECT_EQ(j["payments"][0]["reference"], "wire 1");

  r = call("POST", one + "/payments", owner.token, R"({"amountCents":6500})");
  ASSERT_EQ(r.status, 201) << r.body;
  j = body(call("GET", one, owner.token));
  EXPECT_EQ(j["status"], "paid");
  EXPECT_EQ(j["billed"], 10500);
  EXPECT_EQ(j["paid"], 10500);
  EXPECT_EQ(j["owed"], 0);
  EXPECT_EQ(j["payments"].size(), 2u);
  // Nothing more is owed.
  EXPECT_EQ(call("POST", one + "/payments", owner.token, R"({"amountCents":1})").status, 400);

  auto pays = events(p, "invoice_payment");
  ASSERT_EQ(pays.size(), 2u);
  std::set<nlohmann::json> changes;
  for (const auto& e : pays) {
    EXPECT_EQ(e.resource_type, "invoice");
    EXPECT_EQ(e.resource_id, made.invoice.id);
    EXPECT_EQ(e.initiated_by_id, owner.id);
    changes.insert(nlohmann::json::parse(e.changes_json));
  }
  EXPECT_EQ(changes, (std::set<nlohmann::json>{
                         nlohmann::json{{{"field", "paid"}, {"from", "0"}, {"to", "4000"}}},
                         nlohmann::json{{{"field", "paid"}, {"from", "4000"}, {"to", "10500"}},
                                        {{"field", "status"}, {"from", "open"}, {"to", "paid"}}}}));

  // Another provider's admin cannot see or pay it, nor can an id of another provider be used.
  auto q = createProvider("Other");
  auto q_owner = createAdmin(q, SeedAdmin{"admin_billing", false});
  EXPECT_EQ(call("GET", one, q_owner.token).status, 404);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + q + "/invoices/" + made.invoice.id, q_owner.token).status, 404);
  EXPECT_EQ(call("POST", "/api/v2/providers/" + q + "/invoices/" + made.invoice.id + "/payments", q_owner.token,
                 R"({"amountCents":1})").status, 404);
  EXPECT_EQ(body(call("GET", "/api/v2/providers/" + q + "/invoices", q_owner.token))["totalCount"], 0);
}

TEST_P(BillingRoutesTest, BillingInformationIsStoredWithOneEvent) {
  auto p = createProvider("MSP");
  auto who = createAdmin(p, SeedAdmin{"command_runner_billing", false});
  const std::string path = "/api/v2/providers/" + p + "/billing/information";
  auto r = call("GET", path, who.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["stored"], false);
  EXPECT_EQ(body(r)["city"], "");

  EXPECT_EQ(call("PUT", path, who.token, R"({"city":"Oslo","iban":"x"})").status, 400);
  EXPECT_EQ(call("PUT", path, who.token, R"({"city":5})").status, 400);
  EXPECT_EQ(call("PUT", path, who.token, R"({"email":"nope"})").status, 400);
  EXPECT_EQ(call("PUT", path, who.token, "{\"name\":\"" + std::string(300, 'x') + "\"}").status, 400);
  EXPECT_TRUE(events(p, "billing_information_update").empty());

  const std::string info = R"({"name":"MSP Ltd","addressLine1":"1 Main St","addressLine2":"","city":"Oslo",)"
                           R"("state":"","postalCode":"0150","country":"NO","email":"billing@msp.example"})";
  r = call("PUT", path, who.token, info);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["stored"], true);
  EXPECT_EQ(j["city"], "Oslo");
  EXPECT_EQ(j["postalCode"], "0150");
  j = body(call("GET", path, who.token));
  EXPECT_EQ(j["stored"], true);
  EXPECT_EQ(j["name"], "MSP Ltd");
  EXPECT_EQ(j["addressLine1"], "1 Main St");
  EXPECT_EQ(j["country"], "NO");
  EXPECT_EQ(j["email"], "billing@msp.example");
  auto ev = events(p, "billing_information_update");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].initiated_by_id, who.id);
  EXPECT_EQ(ev[0].resource_id, p);
  // The same again changes nothing and logs nothing; a change logs the changed field only.
  ASSERT_EQ(call("PUT", path, who.token, info).status, 200);
  EXPECT_EQ(events(p, "billing_information_update").size(), 1u);
  ASSERT_EQ(call("PUT", path, who.token, R"({"name":"MSP Ltd","addressLine1":"1 Main St","city":"Bergen",)"
                                         R"("postalCode":"0150","country":"NO","email":"billing@msp.example"})").status, 200);
  ev = events(p, "billing_information_update");
  ASSERT_EQ(ev.size(), 2u);
  std::set<nlohmann::json> changes;
  for (const auto& e : ev) changes.insert(nlohmann::json::parse(e.changes_json));
  EXPECT_TRUE(changes.count(nlohmann::json{{{"field", "city"}, {"from", "Oslo"}, {"to", "Bergen"}}}));
}

TEST_P(BillingRoutesTest, OnlyBillingRolesReadAndUpdateBilling) {
  auto p = createProvider("MSP");
  auto q = createProvider("Other");
  auto o1 = createOrg(p, "Alpha");
  snapshot(p, o1, app::firstDayOf(last()), 5, 1);
  price(p, 100);
  auto inv = close(p, last());
  const std::string base = "/api/v2/providers/" + p;
  const std::string pay = base + "/invoices/" + inv.invoice.id + "/payments";
  for (const std::string role : {"admin_billing", "billing_only", "command_runner_billing"}) {
    auto a = createAdmin(p, SeedAdmin{role, false});
    EXPECT_EQ(call("GET", base + "/billing/usage", a.token).status, 200) << role;
    EXPECT_EQ(call("GET", base + "/invoices", a.token).status, 200) << role;
    EXPECT_EQ(call("GET", base + "/invoices/" + inv.invoice.id, a.token).status, 200) << role;
    EXPECT_EQ(call("GET", base + "/billing/information", a.token).status, 200) << role;
    EXPECT_EQ(call("PUT", base + "/billing/information", a.token, R"({"city":")" + role + "\"}").status, 200) << role;
    EXPECT_EQ(call("POST", pay, a.token, R"({"amountCents":1})").status, 201) << role;
    // Another provider: not found, as a missing one.
    EXPECT_EQ(call("GET", "/api/v2/providers/" + q + "/billing/usage", a.token).status, 404) << role;
    EXPECT_EQ(call("PUT", "/api/v2/providers/" + q + "/billing/information", a.token, R"({"city":"x"})").status, 404) << role;
  }
  for (const std::string role : {"admin", "manager", "help_desk", "command_runner", "read_only"}) {
    auto a = createAdmin(p, SeedAdmin{role, true});
    EXPECT_EQ(call("GET", base + "/billing/usage", a.token).status, 403) << role;
    EXPECT_EQ(call("GET", base + "/invoices", a.token).status, 403) << role;
    EXPECT_EQ(call("GET", base + "/invoices/" + inv.invoice.id, a.token).status, 403) << role;
    EXPECT_EQ(call("GET", base + "/billing/information", a.token).status, 403) << role;
    EXPECT_EQ(call("PUT", base + "/billing/information", a.token, R"({"city":"x"})").status, 403) << role;
    EXPECT_EQ(call("POST", pay, a.token, R"({"amountCents":1})").status, 403) << role;
    EXPECT_EQ(call("GET", "/api/v2/providers/" + q + "/billing/usage", a.token).status, 404) << role;
  }
  EXPECT_EQ(call("GET", base + "/billing/usage").status, 401);
  auto j = body(call("GET", base + "/invoices/" + inv.invoice.id, createAdmin(p, SeedAdmin{"billing_only", false}).token));
  EXPECT_EQ(j["billed"], 500);
  EXPECT_EQ(j["paid"], 3);
  EXPECT_EQ(j["owed"], 497);
}

TEST_P(BillingRoutesTest, TheInvoiceJobClosesThePreviousMonthOncePerProvider) {
  // mtpd's job (--invoice-close-interval) at a time 40 days on: the month before that one.
  auto p = createProvider("Priced");
  auto unpriced = createProvider("Unpriced");
  price(p, 250);
  const std::int64_t t = now() + 40 * 86400;
  const app::Month billed = app::previousMonth(app::monthOf(t));
  // A provider created after that month ended has nothing to bill for it.
  const std::string young = auth::newId();
  model::ProviderRecord rec{young, "Young", false, t, t};
  ASSERT_TRUE(app().store().transact([&](store::Tx& tx) {
    return tx.createProvider(model::TenantScope{young}, rec);
  }).has_value());
  price(young, 250);

  auto n = app::closePreviousMonth(app().store(), t);
  ASSERT_TRUE(n.has_value()) << n.error().message;
  EXPECT_EQ(*n, 1);
  n = app::closePreviousMonth(app().store(), t + 3600);  // the next pass, or another replica
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 0);
  auto invoices = app().store().query([&](store::Tx& tx) { return tx.listInvoices(model::TenantScope{p}); });
  ASSERT_TRUE(invoices.has_value());
  ASSERT_EQ(invoices->size(), 1u);
  EXPECT_EQ((*invoices)[0].period, app::monthText(billed));
  auto created = events(p, "invoice_create");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].initiated_by_type, "system");
  EXPECT_EQ(created[0].auth_method, "system");
  for (const auto& other : {unpriced, young}) {
    auto none = app().store().query([&](store::Tx& tx) { return tx.listInvoices(model::TenantScope{other}); });
    ASSERT_TRUE(none.has_value());
    EXPECT_TRUE(none->empty()) << other;
  }
}

MTP_SERVICE_BACKENDS(BillingRoutesTest);

}  // namespace
}  // namespace mtp::testing
