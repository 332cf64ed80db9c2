#include "app/billing_service.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "app/activity_service.h"

namespace mtp::app {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::int64_t kDay = 86400;

std::string cents(std::int64_t v) { return std::to_string(v); }

// An event of the operator's command line (no admin behind it).
model::ActivityRecord cliEvent(const model::TenantScope& scope, std::string type,
                               std::string resource_type, std::string resource_id,
                               const std::vector<Change>& changes, std::string_view via = "cli") {
  return app::systemEvent(scope, std::move(type), std::move(resource_type),
                          std::move(resource_id), changes, {}, std::string(via));
}

}  // namespace

std::optional<Month> parseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  auto r1 = std::from_chars(text.data(), text.data() + 4, y);
  auto r2 = std::from_chars(text.data() + 5, text.data() + 7, m);
  if (r1.ec != std::errc() || r1.ptr != text.data() + 4 || r2.ec != std::errc() ||
      r2.ptr != text.data() + 7 || y < 1970 || m < 1 || m > 12) {
    return std::nullopt;
  }
  return Month{y, m};
}

std::string monthText(Month m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.year, m.month);
  return buf;
}

model::EpochDay epochDayOf(std::int64_t unix_seconds) {
  // Floor division: a time before 1970 still falls on its own day.
  return unix_seconds >= 0 ? unix_seconds / kDay : -((-unix_seconds + kDay - 1) / kDay);
}

Month monthOf(std::int64_t unix_seconds) {
  year_month_day ymd{sys_days{days{epochDayOf(unix_seconds)}}};
  return Month{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month()))};
}

Month previousMonth(Month m) { return m.month == 1 ? Month{m.year - 1, 12} : Month{m.year, m.month - 1}; }
Month nextMonth(Month m) { return m.month == 12 ? Month{m.year + 1, 1} : Month{m.year, m.month + 1}; }

model::EpochDay firstDayOf(Month m) {
  sys_days d{std::chrono::year{m.year} / std::chrono::month{static_cast<unsigned>(m.month)} /
             std::chrono::day{1}};
  return d.time_since_epoch().count();
}

std::int64_t startOf(Month m) { return firstDayOf(m) * kDay; }

Result<std::int64_t> monthHighWaterMark(store::Store& store, const model::TenantScope& scope,
                                           Month month) {
  auto totals = store.query([&](store::Tx& tx) {
    return tx.usageDailyTotals(scope, firstDayOf(month), firstDayOf(nextMonth(month)));
  });
  if (!totals) return fail(totals.error());
  std::int64_t hwm = 0;
  for (const auto& t : *totals) hwm = std::max(hwm, t.users);
  return hwm;
}

Result<std::int64_t> recordUsageSnapshots(store::Store& store, std::int64_t now,
                                             const std::string& provider_id) {
  std::vector<std::string> providers;
  if (!provider_id.empty()) {
    providers.push_back(provider_id);
  } else {
    auto all = store.query([](store::Tx& tx) { return tx.listProviders(); });
    if (!all) return fail(all.error());
    for (const auto& p : *all) providers.push_back(p.id);
  }
  const model::EpochDay today = epochDayOf(now);
  std::int64_t recorded = 0;
  for (const auto& id : providers) {
    auto n = store.transact([&](store::Tx& tx) -> Result<std::int64_t> {
      if (auto p = tx.getProvider(model::TenantScope{id}); !p) return fail(p.error());
      return tx.recordUsageFromCounts(model::TenantScope{id}, today);
    });
    if (!n) return fail(n.error());
    recorded += *n;
  }
  return recorded;
}

Result<UsageReport> billingUsage(store::Store& store, const model::TenantScope& scope,
                                    std::int64_t now, int days) {
  const Month current = monthOf(now);
  const Month last = previousMonth(current);
  const model::EpochDay today = epochDayOf(now);
  Month oldest = current;
  for (int i = 1; i < kUsageMonths; ++i) oldest = previousMonth(oldest);
  const model::EpochDay first_daily = today - std::clamp(days, 1, kUsageDaysMax) + 1;
  const model::EpochDay from = std::min({first_daily, firstDayOf(oldest), firstDayOf(last)});
  UsageReport out;
  auto ok = store.query([&](store::Tx& tx) -> Result<void> {
    // The provider must exist (a scope of nothing answers 404, as everything else does).
    if (auto p = tx.getProvider(scope); !p) return fail(p.error());
    auto orgs = tx.usageByOrganization(scope, today, firstDayOf(last), firstDayOf(current));
    if (!orgs) return fail(orgs.error());
    auto totals = tx.usageDailyTotals(scope, from, today + 1);
    if (!totals) return fail(totals.error());
    auto settings = tx.getBillingSettings(scope);
    if (!settings && !settings.error().isNotFound()) return fail(settings.error());
    out.organizations = std::move(*orgs);
    for (const auto& o : out.organizations) {
      out.current_users += o.current_users;
      out.devices += o.current_devices;
    }
    for (const auto& t : *totals) {
      if (t.day >= first_daily) out.daily.push_back(t);
      if (t.day >= firstDayOf(oldest)) {
        const Month m = monthOf(t.day * kDay);
        if (out.monthly.empty() || !(out.monthly.back().month == m)) out.monthly.push_back({m, 0});
        out.monthly.back().users = std::max(out.monthly.back().users, t.users);
      }
      if (t.day < firstDayOf(last)) continue;
      if (t.day < firstDayOf(current)) {
        out.last_month_hwm = std::max(out.last_month_hwm, t.users);
      } else {
        out.current_hwm = std::max(out.current_hwm, t.users);
      }
    }
    if (settings) out.user_cap = settings->user_cap;
    return {};
  });
  if (!ok) return fail(ok.error());
  return out;
}

Result<CloseOutcome> closeMonth(store::Store& store, const model::TenantScope& scope,
                                   Month month, std::int64_t now, std::string_view via) {
  const std::string period = monthText(month);
  CloseOutcome out;
  auto done = store.transact([&](store::Tx& tx) -> Result<void> {
    auto existing = tx.listInvoices(scope);
    if (!existing) return fail(existing.error());
    for (const auto& inv : *existing) {
      if (inv.period == period) {
        out.kind = CloseOutcome::Kind::kAlreadyClosed;
        out.invoice = inv;
        return {};
      }
    }
    auto settings = tx.getBillingSettings(scope);
    if (!settings) {
      if (!settings.error().isNotFound()) return fail(settings.error());
      out.kind = CloseOutcome::Kind::kNoPrice;
      return {};
    }
    auto totals = tx.usageDailyTotals(scope, firstDayOf(month), firstDayOf(nextMonth(month)));
    if (!totals) return fail(totals.error());
    std::int64_t hwm = 0;
    for (const auto& t : *totals) hwm = std::max(hwm, t.users);
    model::InvoiceRecord inv;
    inv.number = "INV-" + period;
    inv.period = period;
    inv.issued = now;
    inv.due_date = now + kInvoiceDueDays * kDay;
    inv.users = hwm;
    inv.price_per_user_cents = settings->price_per_user_cents;
    inv.currency = settings->currency;
    inv.billed_cents = hwm * settings->price_per_user_cents;
    inv.status = inv.billed_cents == 0 ? model::InvoiceStatus::kPaid : model::InvoiceStatus::kOpen;
    auto id = tx.createInvoice(scope, inv);
    if (!id) return fail(id.error());
    inv.id = *id;
    auto ev = cliEvent(scope, "invoice_create", "invoice", inv.id,
                          {{"period", "", period},
                           {"users", "", std::to_string(hwm)},
                           {"billed", "", cents(inv.billed_cents)}},
                       via);
    if (auto e = tx.appendActivity(scope, ev); !e) return fail(e.error());
    out.kind = CloseOutcome::Kind::kCreated;
    out.invoice = inv;
    return {};
  });
  if (!done) {
    // A concurrent close of the same month won the unique (provider, period): nothing to do.
    if (done.error().isConflict()) {
      out.kind = CloseOutcome::Kind::kAlreadyClosed;
      return out;
    }
    return fail(done.error());
  }
  return out;
}

Result<void> setBillingPrice(store::Store& store, const model::TenantScope& scope,
                                std::int64_t price_per_user_cents,
                                std::optional<std::int64_t> user_cap) {
  if (price_per_user_cents < 0) return fail(Status::invalidArgument("the price must not be negative"));
  if (user_cap && *user_cap < 0) return fail(Status::invalidArgument("the user cap must not be negative"));
  auto done = store.transact([&](store::Tx& tx) -> Result<void> {
    if (auto p = tx.getProvider(scope); !p) return fail(p.error());
    model::BillingSettingsRecord next;
    auto cur = tx.getBillingSettings(scope);
    if (!cur && !cur.error().isNotFound()) return fail(cur.error());
    if (cur) next = *cur;
    const std::string from = cur ? cents(cur->price_per_user_cents) : "";
    next.price_per_user_cents = price_per_user_cents;
    next.user_cap = user_cap;
    if (auto ok = tx.putBillingSettings(scope, next); !ok) return ok;
    auto ev = cliEvent(scope, "billing_settings_update", "provider", scope.provider_id,
                          {{"pricePerUserCents", from, cents(price_per_user_cents)},
                           {"userCap", cur && cur->user_cap ? cents(*cur->user_cap) : "",
                            user_cap ? cents(*user_cap) : ""}});
    if (auto e = tx.appendActivity(scope, ev); !e) return fail(e.error());
    return {};
  });
  if (!done) return fail(done.error());
  return {};
}

// ---------------------------------------------------------------- BillingService

Result<UsageReport> BillingService::usage(const Actor& actor, int days) {
  return billingUsage(app_.store(), actor.scope(), app_.now(), days);
}

Result<std::vector<model::InvoiceRecord>> BillingService::invoices(const Actor& actor) {
  auto r = app_.store().query([&](store::Tx& tx) { return tx.listInvoices(actor.scope()); });
  if (!r) return fail(r.error());
  return std::move(*r);
}

Result<InvoiceDetail> BillingService::invoice(const Actor& actor, const std::string& id) {
  InvoiceDetail out;
  auto r = app_.store().query([&](store::Tx& tx) -> Result<void> {
    auto inv = tx.getInvoice(actor.scope(), id);
    if (!inv) return fail(inv.error());
    auto pays = tx.listPayments(actor.scope(), id);
    if (!pays) return fail(pays.error());
    out.invoice = std::move(*inv);
    out.payments = std::move(*pays);
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

Result<BillingInformation> BillingService::information(const Actor& actor) {
  auto r = app_.store().query([&](store::Tx& tx) { return tx.getBillingInformation(actor.scope()); });
  if (!r) {
    if (r.error().isNotFound()) return BillingInformation{};
    return fail(r.error());
  }
  return BillingInformation{std::move(*r), true};
}

Result<BillingInformation> BillingService::putInformation(
    const Actor& actor, const model::BillingInformationRecord& in, const IfMatch& if_match) {
  auto r = app_.store().transact([&](store::Tx& tx) -> Result<model::BillingInformationRecord> {
    model::BillingInformationRecord cur;
    auto got = tx.getBillingInformation(actor.scope());
    if (!got && !got.error().isNotFound()) return fail(got.error());
    const bool stored = got.has_value();
    if (got) cur = *got;
    if (auto ok = if_match.check(stored ? cur.version : 0, "the billing information"); !ok) {
      return fail(ok.error());
    }
    std::vector<Change> changes;
    auto diff = [&](const char* field, const std::string& a, const std::string& b) {
      if (a != b) changes.push_back({field, a, b});
    };
    diff("name", cur.name, in.name);
    diff("addressLine1", cur.address_line1, in.address_line1);
    diff("addressLine2", cur.address_line2, in.address_line2);
    diff("city", cur.city, in.city);
    diff("state", cur.state, in.state);
    diff("postalCode", cur.postal_code, in.postal_code);
    diff("country", cur.country, in.country);
    diff("email", cur.email, in.email);
    if (stored && changes.empty()) return cur;
    if (auto ok = tx.putBillingInformation(actor.scope(), in); !ok) return fail(ok.error());
    Actor who = actor;
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
    auto ev = activityEvent(who, "billing_information_update", "billing_information",
                            actor.provider_id, changes);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return tx.getBillingInformation(actor.scope());
  });
  if (!r) return fail(r.error());
  return BillingInformation{std::move(*r), true};
}

Result<InvoiceDetail> BillingService::pay(const Actor& actor, const std::string& invoice_id,
                                             std::int64_t amount_cents,
                                             const std::string& reference) {
  if (amount_cents <= 0) return fail(Status::invalidArgument("amountCents must be positive"));
  std::optional<Status> refused;
  InvoiceDetail out;
  auto r = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto inv = tx.getInvoice(actor.scope(), invoice_id);
    if (!inv) return fail(inv.error());
    if (inv->status == model::InvoiceStatus::kVoid) {
      refused = Status::preconditionFailed("the invoice is void");
      return fail(Status::preconditionFailed("void"));
    }
    if (amount_cents > inv->billed_cents - inv->paid_cents) {
      refused = Status::invalidArgument("amountCents exceeds what is owed");
      return fail(Status::invalidArgument("overpayment"));
    }
    model::PaymentRecord pay;
    pay.invoice_id = invoice_id;
    pay.amount_cents = amount_cents;
    pay.at = app_.now();
    pay.reference = reference;
    auto pid = tx.recordPayment(actor.scope(), pay);
    if (!pid) return fail(pid.error());
    auto after = tx.getInvoice(actor.scope(), invoice_id);
    if (!after) return fail(after.error());
    std::vector<Change> changes{{"paid", cents(inv->paid_cents), cents(after->paid_cents)}};
    if (after->status != inv->status) {
      changes.push_back({"status", std::string(store::invoiceStatusText(inv->status)),
                         std::string(store::invoiceStatusText(after->status))});
    }
    Actor who = actor;
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
    auto ev = activityEvent(who, "invoice_payment", "invoice", invoice_id, changes);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    auto pays = tx.listPayments(actor.scope(), invoice_id);
    if (!pays) return fail(pays.error());
    out.invoice = std::move(*after);
    out.payments = std::move(*pays);
    return {};
  });
  if (!r) {
    if (refused) return fail(*refused);
    return fail(r.error());
  }
  return out;
}

Result<std::int64_t> closePreviousMonth(store::Store& store, std::int64_t now) {
  const Month month = previousMonth(monthOf(now));
  auto all = store.query([](store::Tx& tx) { return tx.listProviders(); });
  if (!all) return fail(all.error());
  std::int64_t created = 0;
  std::optional<Status> first_error;
  const std::int64_t month_end = firstDayOf(monthOf(now)) * kDay;
  for (const auto& p : *all) {
    if (p.created >= month_end) continue;  // no month to bill before the provider existed
    auto r = closeMonth(store, model::TenantScope{p.id}, month, now, "system");
    if (!r) {
      if (!first_error) first_error = r.error();
      continue;
    }
    if (r->kind == CloseOutcome::Kind::kCreated) ++created;
  }
  if (first_error) return fail(*first_error);
  return created;
}

}  // namespace mtp::app
