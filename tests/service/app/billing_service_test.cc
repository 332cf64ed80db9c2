// app::BillingService and the billing jobs on a real SQLite store, without HTTP (issue 9 item
// 5): daily snapshots counting each provider's own users, the month's close billing HWM x
// price once with its event, payments bounded by what is owed, the billing address under
// If-Match, and another provider's invoices out of reach.
#include "app/billing_service.h"

#include <gtest/gtest.h>

#include "app/user_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

constexpr std::int64_t kDay = 86400;

class BillingServiceTest : public AppTest {
 protected:
  void users(const std::string& org, int n, const std::string& provider = "p1",
             const std::string& admin = "") {
    UserService svc(*app_);
    for (int i = 0; i < n; ++i) {
      UserCreate in;
      in.username = "u" + std::to_string(i);
      in.activated = true;
      auto u = svc.create(actorOf(admin.empty() ? owner_id_ : admin, provider), org, in);
      ASSERT_TRUE(u) << u.error().message;
    }
  }
  // Last month billed at `price` cents per user; returns the invoice.
  model::InvoiceRecord billedLastMonth(std::int64_t price, const std::string& provider = "p1") {
    const store::TenantScope scope{provider};
    EXPECT_TRUE(setBillingPrice(*store_, scope, price, std::nullopt));
    auto out = closeMonth(*store_, scope, previousMonth(monthOf(now_)), now_);
    EXPECT_TRUE(out) << out.error().message;
    EXPECT_EQ(out->kind, CloseOutcome::Kind::kCreated);
    return out ? out->invoice : model::InvoiceRecord{};
  }
};

TEST_F(BillingServiceTest, SnapshotsCountEachProvidersOwnUsers) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  const std::string theirs = addOrgOf("p2", "Theirs");
  users(acme, 2);
  users(globex, 1);
  users(theirs, 5, "p2", other_owner);
  auto recorded = recordUsageSnapshots(*store_, now_);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(*recorded, 3);
  BillingService svc(*app_);
  auto mine = svc.usage(actorOf(owner_id_));
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_EQ(mine->current_users, 3);
  EXPECT_EQ(mine->current_hwm, 3);
  EXPECT_EQ(mine->organizations.size(), 2u);
  ASSERT_EQ(mine->daily.size(), 1u);
  EXPECT_EQ(mine->daily[0].users, 3);
  auto theirs_usage = svc.usage(actorOf(other_owner, "p2"));
  ASSERT_TRUE(theirs_usage);
  EXPECT_EQ(theirs_usage->current_users, 5);

  // Re-running the same day replaces its counts; the month's HWM is its highest day.
  UserService u(*app_);
  UserCreate extra;
  extra.username = "extra";
  ASSERT_TRUE(u.create(actorOf(owner_id_), globex, extra));
  ASSERT_TRUE(recordUsageSnapshots(*store_, now_, "p1"));
  auto again = svc.usage(actorOf(owner_id_));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->current_users, 4);
  ASSERT_EQ(again->daily.size(), 1u);
  auto hwm = monthHighWaterMark(*store_, scope_, monthOf(now_));
  ASSERT_TRUE(hwm);
  EXPECT_EQ(*hwm, 4);
}

TEST_F(BillingServiceTest, TheMonthIsClosedOnceAtHwmTimesPrice) {
  const std::string acme = addOrg("Acme");
  users(acme, 3);
  const Month last = previousMonth(monthOf(now_));
  ASSERT_TRUE(recordUsageSnapshots(*store_, startOf(last) + 3 * kDay));
  EXPECT_EQ(closeMonth(*store_, scope_, last, now_)->kind, CloseOutcome::Kind::kNoPrice);
  EXPECT_TRUE(events("invoice_create").empty());

  auto inv = billedLastMonth(250);
  EXPECT_EQ(inv.users, 3);
  EXPECT_EQ(inv.billed_cents, 750);
  EXPECT_EQ(inv.period, monthText(last));
  EXPECT_EQ(inv.due_date, now_ + kInvoiceDueDays * kDay);
  auto ev = events("invoice_create");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].initiated_by_type, "system");
  auto twice = closeMonth(*store_, scope_, last, now_ + kDay);
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->kind, CloseOutcome::Kind::kAlreadyClosed);
  EXPECT_EQ(twice->invoice.id, inv.id);
  auto job = closePreviousMonth(*store_, now_);
  ASSERT_TRUE(job);
  EXPECT_EQ(*job, 0) << "already billed";
  EXPECT_EQ(events("invoice_create").size(), 1u);
}

TEST_F(BillingServiceTest, PaymentsAreBoundedByWhatIsOwed) {
  const std::string acme = addOrg("Acme");
  users(acme, 2);
  ASSERT_TRUE(recordUsageSnapshots(*store_, startOf(previousMonth(monthOf(now_))) + kDay));
  auto inv = billedLastMonth(1000);
  ASSERT_EQ(inv.billed_cents, 2000);
  BillingService svc(*app_);
  const Actor me = actorOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.pay(me, inv.id, 0, "r0"), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.pay(me, inv.id, 2001, "r1"), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.pay(me, "no-such-invoice", 10, "r2"), "not_found"));
  EXPECT_TRUE(events("invoice_payment").empty());
  auto part = svc.pay(me, inv.id, 1500, "wire 1");
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->invoice.paid_cents, 1500);
  EXPECT_EQ(part->invoice.status, model::InvoiceStatus::kOpen);
  ASSERT_EQ(part->payments.size(), 1u);
  EXPECT_TRUE(failsWith(svc.pay(me, inv.id, 501, "r3"), "invalid_argument")) << "only 500 owed";
  auto rest = svc.pay(me, inv.id, 500, "wire 2");
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(rest->invoice.status, model::InvoiceStatus::kPaid);
  EXPECT_EQ(events("invoice_payment").size(), 2u);
}

TEST_F(BillingServiceTest, AnotherProvidersInvoiceIsNotFound) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  users(theirs, 1, "p2", other_owner);
  ASSERT_TRUE(recordUsageSnapshots(*store_, startOf(previousMonth(monthOf(now_))) + kDay));
  auto inv = billedLastMonth(100, "p2");
  BillingService svc(*app_);
  EXPECT_TRUE(failsWith(svc.invoice(actorOf(owner_id_), inv.id), "not_found"));
  EXPECT_TRUE(failsWith(svc.pay(actorOf(owner_id_), inv.id, 100, "steal"), "not_found"));
  auto mine = svc.invoices(actorOf(owner_id_));
  ASSERT_TRUE(mine);
  EXPECT_TRUE(mine->empty());
  auto still = svc.invoice(actorOf(other_owner, "p2"), inv.id);
  ASSERT_TRUE(still) << still.error().message;
  EXPECT_EQ(still->invoice.paid_cents, 0);
  EXPECT_TRUE(still->payments.empty());
  EXPECT_TRUE(events("").empty());
}

TEST_F(BillingServiceTest, TheBillingAddressUnderIfMatch) {
  BillingService svc(*app_);
  const Actor me = actorOf(owner_id_);
  auto none = svc.information(me);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->stored);
  EXPECT_EQ(none->record.version, 0);
  model::BillingInformationRecord in;
  in.name = "Provider One LLC";
  in.city = "Springfield";
  in.country = "US";
  in.email = "billing@example.com";
  EXPECT_TRUE(failsWith(svc.putInformation(me, in, ifMatch({1})), "precondition_failed"));
  EXPECT_TRUE(events("billing_information_update").empty());
  auto put = svc.putInformation(me, in, ifMatch({0}));
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_TRUE(put->stored);
  EXPECT_EQ(put->record.version, 1);
  EXPECT_EQ(events("billing_information_update").size(), 1u);
  auto same = svc.putInformation(me, in, ifMatch({1}));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->record.version, 1);
  EXPECT_EQ(events("billing_information_update").size(), 1u) << "nothing changed";
  in.city = "Shelbyville";
  now_ += 1;  // newest first: a later second
  EXPECT_TRUE(failsWith(svc.putInformation(me, in, ifMatch({0})), "precondition_failed"));
  auto moved = svc.putInformation(me, in, ifMatch({1}));
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->record.city, "Shelbyville");
  EXPECT_EQ(moved->record.version, 2);
  auto ev = events("billing_information_update");
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_NE(ev[0].changes_json.find("Shelbyville"), std::string::npos);
}

}  // namespace
}  // namespace mtp::app::testing
