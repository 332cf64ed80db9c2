// Billing and usage: the usage report (current users and devices, last month's and this
// month's high-water marks, per org), invoices and payments, the billing address, and the
// operator's monthly close. No HTTP here; the routes' actions (billing.read, billing.update)
// are decided before these run. The free functions take the store itself so that mtpctl,
// which has no AppContext, runs the same code as mtpd.
//
// Definitions:
// - A day is a UTC epoch day; a month is a calendar month in UTC.
// - The high-water mark (HWM) of a month is the highest provider-wide daily sum of users
//   over the days of that month that have snapshots (0 when none); the current HWM covers
//   the current month up to today.
// - Current users/devices of an org: its latest snapshot on or before today; the provider's
//   are the sums over its existing orgs. usersLastMonth of an org: its highest daily users
//   last month.
// - The daily series: the provider-wide sums of the last `days` days up to today (days
//   without any snapshot are absent); the monthly HWMs: every month of the last 12 (this one
//   included) that has snapshots, oldest first.
// - Money is integer cents; owed = billed - paid.
// Thread-safety: safe from any thread (state lives in the store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "store/store.h"

namespace mtp::app {

struct Month {
  int year = 1970;
  int month = 1;  // 1..12
  bool operator==(const Month&) const = default;
};

// "2026-11" → {2026, 11}; nullopt for anything else.
std::optional<Month> parseMonth(std::string_view text);
std::string monthText(Month m);
Month monthOf(std::int64_t unix_seconds);
Month previousMonth(Month m);
Month nextMonth(Month m);
model::EpochDay epochDayOf(std::int64_t unix_seconds);
model::EpochDay firstDayOf(Month m);
std::int64_t startOf(Month m);  // unix seconds of the month's first midnight

struct UsageReport {
  std::int64_t current_users = 0;
  std::int64_t devices = 0;
  std::int64_t last_month_hwm = 0;
  std::int64_t current_hwm = 0;
  std::optional<std::int64_t> user_cap;
  std::vector<model::OrganizationUsage> organizations;  // max_users_in_range: last month
  std::vector<model::UsageDayTotal> daily;              // the last `days` days, ascending
  struct MonthHwm {
    Month month;
    std::int64_t users = 0;
  };
  std::vector<MonthHwm> monthly;  // the last 12 months with snapshots, oldest first
};

inline constexpr int kUsageDaysDefault = 30;
inline constexpr int kUsageDaysMax = 366;
inline constexpr int kUsageMonths = 12;

// `days`: 1..kUsageDaysMax (the caller validates).
Result<UsageReport> billingUsage(store::Store& store, const model::TenantScope& scope,
                                    std::int64_t now, int days = kUsageDaysDefault);

// The daily usage snapshot: records today's (UTC) users and devices of every org of every
// provider (or only of `provider_id`) from the users and devices tables, one transaction per
// provider; re-running the same day replaces that day's counts. Returns the orgs recorded.
// mtpd runs it at start and periodically; `mtpctl billing snapshot` runs it on demand.
Result<std::int64_t> recordUsageSnapshots(store::Store& store, std::int64_t now,
                                             const std::string& provider_id = {});

// The HWM of `month` (see above).
Result<std::int64_t> monthHighWaterMark(store::Store& store, const model::TenantScope& scope,
                                           Month month);

inline constexpr std::int64_t kInvoiceDueDays = 30;

struct CloseOutcome {
  enum class Kind { kCreated, kAlreadyClosed, kNoPrice } kind = Kind::kCreated;
  model::InvoiceRecord invoice;  // kCreated and kAlreadyClosed
};

// Bills `month` for one provider: one invoice of HWM x price per user, issued `now`, due
// kInvoiceDueDays later, with one `invoice_create` event (initiated by the system) in the
// same transaction. Idempotent: a provider whose `month` already has an invoice gets nothing
// new (kAlreadyClosed). A provider without a price gets nothing (kNoPrice).
// `via` is the event's auth method: "cli" for the operator, "system" for mtpd's job.
Result<CloseOutcome> closeMonth(store::Store& store, const model::TenantScope& scope,
                                   Month month, std::int64_t now, std::string_view via = "cli");

// mtpd's invoice job: closes the month before `now`'s for every provider that has not been
// billed for it yet (closeMonth, so at most one invoice per provider and month however many
// passes or replicas run). Returns how many invoices it created.
Result<std::int64_t> closePreviousMonth(store::Store& store, std::int64_t now);

// The operator's price per user (and optional user cap), with one `billing_settings_update`
// event initiated by the system.
Result<void> setBillingPrice(store::Store& store, const model::TenantScope& scope,
                                std::int64_t price_per_user_cents,
                                std::optional<std::int64_t> user_cap);

struct BillingInformation {
  model::BillingInformationRecord record;
  bool stored = false;
};

struct InvoiceDetail {
  model::InvoiceRecord invoice;
  std::vector<model::PaymentRecord> payments;
};

class BillingService {
 public:
  explicit BillingService(AppContext& app) : app_(app) {}

  Result<UsageReport> usage(const Actor& actor, int days = kUsageDaysDefault);
  Result<std::vector<model::InvoiceRecord>> invoices(const Actor& actor);
  Result<InvoiceDetail> invoice(const Actor& actor, const std::string& id);
  Result<BillingInformation> information(const Actor& actor);
  // Replaces the billing information; when something changed, one
  // `billing_information_update` event (changes per field) in the same transaction. With
  // If-Match: 412 unless the stored version (0: never stored) is one it names, checked under
  // the provider's row lock.
  Result<BillingInformation> putInformation(const Actor& actor,
                                               const model::BillingInformationRecord& in,
                                               const IfMatch& if_match = {});
  // Records a payment (0 < amount <= owed) and one `invoice_payment` event; a void invoice:
  // kPreconditionFailed; an unknown one: kNotFound.
  Result<InvoiceDetail> pay(const Actor& actor, const std::string& invoice_id,
                               std::int64_t amount_cents, const std::string& reference);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
