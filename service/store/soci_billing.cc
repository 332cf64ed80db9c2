// SociTx: billing and usage (schema 004_billing.sql) — store/billing_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/soci_tx.h"
#include "store/sql_params.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

InvoiceStatus parseInvoiceStatus(const std::string& s) {
  if (s == "paid") return InvoiceStatus::kPaid;
  if (s == "void") return InvoiceStatus::kVoid;
  return InvoiceStatus::kOpen;
}

struct InvoiceRow {
  std::string id, number, period, status, currency;
  long long issued = 0, due = 0, users = 0, price = 0, billed = 0, paid = 0;

  static std::string columns(const Dialect& d) {
    return "i.id, i.number, i.period, " + d.ts("i.issued") + ", " + d.ts("i.due_date") +
           ", i.status, i.users, i.price_per_user_cents, i.currency, i.billed_cents, "
           "i.paid_cents";
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(number), soci::into(period), soci::into(issued),
        soci::into(due), soci::into(status), soci::into(users), soci::into(price),
        soci::into(currency), soci::into(billed), soci::into(paid);
  }
  InvoiceRecord record() const {
    InvoiceRecord r;
    r.id = id;
    r.number = number;
    r.period = period;
    r.issued = issued;
    r.due_date = due;
    r.status = parseInvoiceStatus(status);
    r.users = users;
    r.price_per_user_cents = price;
    r.currency = currency;
    r.billed_cents = billed;
    r.paid_cents = paid;
    return r;
  }
};

}  // namespace

Result<void> SociTx::recordUsageSnapshot(const TenantScope& scope, const std::string& org_id,
                                         EpochDay day, std::int64_t users, std::int64_t devices) {
  if (users < 0 || devices < 0) return fail(Status::invalidArgument("negative usage"));
  return guard(*this, [&]() -> Result<void> {
    SqlParams p;
    long long n = 0;
    select(
        sql_,
        "SELECT COUNT(*) FROM organizations WHERE provider_id = " + p.text(scope.provider_id) +
            " AND id = " + p.text(org_id),
        p, [&](auto& pt) { pt, soci::into(n); }, [] {});
    if (n == 0) return fail(Status::notFound().withDetail("organization not found"));
    SqlParams w;
    exec(sql_,
         "INSERT INTO usage_snapshots (provider_id, org_id, day, users, devices) VALUES (" +
             w.text(scope.provider_id) + ", " + w.text(org_id) + ", " + w.integer(day) + ", " +
             w.integer(users) + ", " + w.integer(devices) +
             ") ON CONFLICT (provider_id, org_id, day) DO UPDATE SET users = excluded.users, "
             "devices = excluded.devices",
         w);
    return {};
  });
}

Result<std::int64_t> SociTx::recordUsageFromCounts(const TenantScope& scope, EpochDay day) {
  return guard(*this, [&]() -> Result<std::int64_t> {
    // Each count is an index range count on (provider_id, org_id, ...). The SELECT has a
    // WHERE clause, so SQLite parses the ON CONFLICT as the upsert's.
    SqlParams w;
    const long long orgs = exec(sql_,
         "INSERT INTO usage_snapshots (provider_id, org_id, day, users, devices) "
         "SELECT o.provider_id, o.id, " + w.integer(day) +
             ", (SELECT COUNT(*) FROM system_users su WHERE su.provider_id = o.provider_id AND "
             "su.org_id = o.id), (SELECT COUNT(*) FROM devices dv WHERE dv.provider_id = "
             "o.provider_id AND dv.org_id = o.id) FROM organizations o WHERE o.provider_id = " +
             w.text(scope.provider_id) +
             " ON CONFLICT (provider_id, org_id, day) DO UPDATE SET users = excluded.users, "
             "devices = excluded.devices",
         w);
    return static_cast<std::int64_t>(orgs);
  });
}

Result<std::vector<UsageDayTotal>> SociTx::usageDailyTotals(const TenantScope& scope,
                                                            EpochDay from, EpochDay to) {
  return guard(*this, [&]() -> Result<std::vector<UsageDayTotal>> {
    SqlParams p;
    std::vector<UsageDayTotal> out;
    long long day = 0, users = 0, devices = 0;
    select(
        sql_,
        "SELECT day, CAST(SUM(users) AS BIGINT), CAST(SUM(devices) AS BIGINT) FROM "
        "usage_snapshots WHERE provider_id = " +
            p.text(scope.provider_id) + " AND day >= " + p.integer(from) + " AND day < " +
            p.integer(to) + " GROUP BY day ORDER BY day",
        p, [&](auto& pt) { pt, soci::into(day), soci::into(users), soci::into(devices); },
        [&] { out.push_back({day, users, devices}); });
    return out;
  });
}

Result<std::vector<OrganizationUsage>> SociTx::usageByOrganization(const TenantScope& scope,
                                                                   EpochDay current_day,
                                                                   EpochDay from, EpochDay to) {
  return guard(*this, [&]() -> Result<std::vector<OrganizationUsage>> {
    SqlParams p;
    const std::string latest =
        "FROM usage_snapshots s WHERE s.provider_id = o.provider_id AND s.org_id = o.id AND "
        "s.day <= " +
        p.integer(current_day);
    // Each placeholder is bound once: the second subquery takes its own copy of the day.
    const std::string latest2 =
        "FROM usage_snapshots s WHERE s.provider_id = o.provider_id AND s.org_id = o.id AND "
        "s.day <= " +
        p.integer(current_day);
    const std::string range =
        "FROM usage_snapshots s WHERE s.provider_id = o.provider_id AND s.org_id = o.id AND "
        "s.day >= " +
        p.integer(from) + " AND s.day < " + p.integer(to);
    const std::string q = "SELECT o.id, o.name, COALESCE((SELECT s.users " + latest +
                          " ORDER BY s.day DESC LIMIT 1), 0), COALESCE((SELECT s.devices " +
                          latest2 + " ORDER BY s.day DESC LIMIT 1), 0), COALESCE((SELECT "
                          "MAX(s.users) " + range + "), 0) FROM organizations o WHERE "
                          "o.provider_id = " + p.text(scope.provider_id) +
                          " ORDER BY o.name, o.id";
    std::vector<OrganizationUsage> out;
    OrganizationUsage row;
    long long users = 0, devices = 0, max_users = 0;
    select(
        sql_, q, p,
        [&](auto& pt) {
          pt, soci::into(row.org_id), soci::into(row.name), soci::into(users),
              soci::into(devices), soci::into(max_users);
        },
        [&] {
          row.current_users = users;
          row.current_devices = devices;
          row.max_users_in_range = max_users;
          out.push_back(row);
        });
    return out;
  });
}

Result<BillingSettingsRecord> SociTx::getBillingSettings(const TenantScope& scope) {
  return guard(*this, [&]() -> Result<BillingSettingsRecord> {
    holdRow("providers", scope, scope.provider_id);  // the settings hang off it
    SqlParams p;
    BillingSettingsRecord r;
    long long price = 0, cap = 0, updated = 0;
    soci::indicator cap_ind = soci::i_ok;
    bool found = false;
    select(
        sql_,
        "SELECT price_per_user_cents, currency, user_cap, " + d_.ts("updated") +
            " FROM billing_settings WHERE provider_id = " + p.text(scope.provider_id),
        p,
        [&](auto& pt) {
          pt, soci::into(price), soci::into(r.currency), soci::into(cap, cap_ind),
              soci::into(updated);
        },
        [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("no billing settings"));
    r.price_per_user_cents = price;
    if (cap_ind != soci::i_null) r.user_cap = cap;
    r.updated = updated;
    return r;
  });
}

Result<void> SociTx::putBillingSettings(const TenantScope& scope, const BillingSettingsRecord& r) {
  if (r.price_per_user_cents < 0) return fail(Status::invalidArgument("negative price"));
  return guard(*this, [&]() -> Result<void> {
    SqlParams p;
    std::optional<long long> cap;
    if (r.user_cap) cap = *r.user_cap;
    exec(sql_,
         "INSERT INTO billing_settings (provider_id, price_per_user_cents, currency, user_cap, "
         "updated) VALUES (" +
             p.text(scope.provider_id) + ", " + p.integer(r.price_per_user_cents) + ", " +
             p.text(r.currency) + ", " + p.optInteger(cap) + ", " + d_.tsParam(p.integer(now())) +
             ") ON CONFLICT (provider_id) DO UPDATE SET price_per_user_cents = "
             "excluded.price_per_user_cents, currency = excluded.currency, user_cap = "
             "excluded.user_cap, updated = excluded.updated",
         p);
    return {};
  });
}

Result<BillingInformationRecord> SociTx::getBillingInformation(const TenantScope& scope) {
  return guard(*this, [&]() -> Result<BillingInformationRecord> {
    holdRow("providers", scope, scope.provider_id);  // the settings hang off it
    SqlParams p;
    BillingInformationRecord r;
    long long updated = 0, version = 1;
    bool found = false;
    select(
        sql_,
        "SELECT name, address_line1, address_line2, city, state, postal_code, country, email, " +
            d_.ts("updated") + ", version FROM billing_information WHERE provider_id = " +
            p.text(scope.provider_id),
        p,
        [&](auto& pt) {
          pt, soci::into(r.name), soci::into(r.address_line1), soci::into(r.address_line2),
              soci::into(r.city), soci::into(r.state), soci::into(r.postal_code),
              soci::into(r.country), soci::into(r.email), soci::into(updated), soci::into(version);
        },
        [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("no billing information"));
    r.updated = updated;
    r.version = version;
    return r;
  });
}

Result<void> SociTx::putBillingInformation(const TenantScope& scope,
                                           const BillingInformationRecord& r) {
  return guard(*this, [&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "INSERT INTO billing_information (provider_id, name, address_line1, address_line2, "
         "city, state, postal_code, country, email, updated) VALUES (" +
             p.text(scope.provider_id) + ", " + p.text(r.name) + ", " + p.text(r.address_line1) +
             ", " + p.text(r.address_line2) + ", " + p.text(r.city) + ", " + p.text(r.state) +
             ", " + p.text(r.postal_code) + ", " + p.text(r.country) + ", " + p.text(r.email) +
             ", " + d_.tsParam(p.integer(now())) +
             ") ON CONFLICT (provider_id) DO UPDATE SET name = excluded.name, address_line1 = "
             "excluded.address_line1, address_line2 = excluded.address_line2, city = "
             "excluded.city, state = excluded.state, postal_code = excluded.postal_code, "
             "country = excluded.country, email = excluded.email, updated = excluded.updated, "
             "version = billing_information.version + 1",
         p);
    return {};
  });
}

Result<std::string> SociTx::createInvoice(const TenantScope& scope, const InvoiceRecord& r) {
  if (r.billed_cents < 0 || r.paid_cents < 0) {
    return fail(Status::invalidArgument("negative amount"));
  }
  return guard(*this, [&]() -> Result<std::string> {
    SqlParams p;
    const std::string id = r.id.empty() ? newId() : r.id;
    exec(sql_,
         "INSERT INTO invoices (id, provider_id, number, period, issued, due_date, status, "
         "users, price_per_user_cents, currency, billed_cents, paid_cents) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.number) + ", " +
             p.text(r.period) + ", " + d_.tsParam(p.integer(r.issued != 0 ? r.issued : now())) +
             ", " + d_.tsParam(p.integer(r.due_date)) + ", " +
             p.text(std::string(invoiceStatusText(r.status))) + ", " + p.integer(r.users) + ", " +
             p.integer(r.price_per_user_cents) + ", " + p.text(r.currency) + ", " +
             p.integer(r.billed_cents) + ", " + p.integer(r.paid_cents) + ")",
         p);
    return id;
  });
}

Result<InvoiceRecord> SociTx::getInvoice(const TenantScope& scope, const std::string& id) {
  return guard(*this, [&]() -> Result<InvoiceRecord> {
    SqlParams p;
    InvoiceRow row;
    std::optional<InvoiceRecord> out;
    select(
        sql_,
        "SELECT " + InvoiceRow::columns(d_) + " FROM invoices i WHERE i.provider_id = " +
            p.text(scope.provider_id) + " AND i.id = " + p.text(id) + lockClause("i"),
        p, [&](auto& pt) { row.bind(pt); }, [&] { out = row.record(); });
    if (!out) return fail(Status::notFound().withDetail("invoice not found"));
    return *out;
  });
}

Result<std::vector<InvoiceRecord>> SociTx::listInvoices(const TenantScope& scope) {
  return guard(*this, [&]() -> Result<std::vector<InvoiceRecord>> {
    SqlParams p;
    InvoiceRow row;
    std::vector<InvoiceRecord> out;
    select(
        sql_,
        "SELECT " + InvoiceRow::columns(d_) + " FROM invoices i WHERE i.provider_id = " +
            p.text(scope.provider_id) + " ORDER BY i.period DESC, i.id",
        p, [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
    return out;
  });
}

Result<std::string> SociTx::recordPayment(const TenantScope& scope, const PaymentRecord& r) {
  if (r.amount_cents <= 0) return fail(Status::invalidArgument("the amount must be positive"));
  return guard(*this, [&]() -> Result<std::string> {
    SqlParams u;
    const std::string amount = u.integer(r.amount_cents);
    const std::string amount2 = u.integer(r.amount_cents);
    const long long changed = exec(
        sql_,
        "UPDATE invoices SET paid_cents = paid_cents + " + amount +
            ", status = CASE WHEN paid_cents + " + amount2 +
            " >= billed_cents THEN 'paid' ELSE status END WHERE provider_id = " +
            u.text(scope.provider_id) + " AND id = " + u.text(r.invoice_id) +
            " AND status <> 'void'",
        u);
    if (changed == 0) return fail(Status::notFound().withDetail("invoice not found"));
    SqlParams p;
    const std::string id = r.id.empty() ? newId() : r.id;
    exec(sql_,
         "INSERT INTO payments (id, provider_id, invoice_id, amount_cents, at, reference) "
         "VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.invoice_id) + ", " +
             p.integer(r.amount_cents) + ", " + d_.tsParam(p.integer(r.at != 0 ? r.at : now())) +
             ", " + p.text(r.reference) + ")",
         p);
    return id;
  });
}

Result<std::vector<PaymentRecord>> SociTx::listPayments(const TenantScope& scope,
                                                        const std::string& invoice_id) {
  return guard(*this, [&]() -> Result<std::vector<PaymentRecord>> {
    SqlParams p;
    PaymentRecord row;
    long long amount = 0, at = 0;
    std::vector<PaymentRecord> out;
    select(
        sql_,
        "SELECT id, invoice_id, amount_cents, " + d_.ts("at") + ", reference FROM payments "
            "WHERE provider_id = " + p.text(scope.provider_id) + " AND invoice_id = " +
            p.text(invoice_id) + " ORDER BY at, id",
        p,
        [&](auto& pt) {
          pt, soci::into(row.id), soci::into(row.invoice_id), soci::into(amount), soci::into(at),
              soci::into(row.reference);
        },
        [&] {
          row.amount_cents = amount;
          row.at = at;
          out.push_back(row);
        });
    return out;
  });
}

}  // namespace mtp::store::detail
