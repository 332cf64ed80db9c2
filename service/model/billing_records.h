// Plain rows of billing and usage (schema 004_billing.sql): daily usage snapshots, the
// operator's price, the provider's billing address, invoices and payments. Money is integer
// cents; days are epoch days (days since 1970-01-01 UTC); periods are "YYYY-MM".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mtp::model {

using EpochDay = std::int64_t;

// What one org had on one day.
struct UsageSnapshotRecord {
  std::string org_id;
  EpochDay day = 0;
  std::int64_t users = 0;
  std::int64_t devices = 0;
};

// The provider-wide sum of one day's snapshots (every org that has one that day, deleted
// orgs included: their usage was real).
struct UsageDayTotal {
  EpochDay day = 0;
  std::int64_t users = 0;
  std::int64_t devices = 0;
};

// One existing org's usage: its latest snapshot on or before a day, and its highest user
// count over a range of days (0 when it has none).
struct OrganizationUsage {
  std::string org_id;
  std::string name;
  std::int64_t current_users = 0;
  std::int64_t current_devices = 0;
  std::int64_t max_users_in_range = 0;
};

struct BillingSettingsRecord {
  std::int64_t price_per_user_cents = 0;
  std::string currency = "USD";
  std::optional<std::int64_t> user_cap;
  std::int64_t updated = 0;  // read-only
};

struct BillingInformationRecord {
  std::string name;
  std::string address_line1;
  std::string address_line2;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;
  std::string email;
  std::int64_t updated = 0;  // read-only
  std::int64_t version = 0;  // read-only: 0 until stored, raised by every change (ETag)
};

enum class InvoiceStatus { kOpen, kPaid, kVoid };

struct InvoiceRecord {
  std::string id;  // empty on create: generated
  std::string number;  // unique per provider
  std::string period;  // YYYY-MM, unique per provider
  std::int64_t issued = 0;
  std::int64_t due_date = 0;
  InvoiceStatus status = InvoiceStatus::kOpen;
  std::int64_t users = 0;  // the billed high-water mark
  std::int64_t price_per_user_cents = 0;
  std::string currency = "USD";
  std::int64_t billed_cents = 0;
  std::int64_t paid_cents = 0;
};

struct PaymentRecord {
  std::string id;  // empty on create: generated
  std::string invoice_id;
  std::int64_t amount_cents = 0;  // > 0
  std::int64_t at = 0;            // 0 on create: now
  std::string reference;
};

inline std::string_view invoiceStatusText(InvoiceStatus s) {
  switch (s) {
    case InvoiceStatus::kPaid: return "paid";
    case InvoiceStatus::kVoid: return "void";
    case InvoiceStatus::kOpen: break;
  }
  return "open";
}

}  // namespace mtp::model
