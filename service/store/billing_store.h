// Billing and usage (store/billing_records.h): one aggregate of the store (soci_billing.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class BillingStore {
 public:
  virtual ~BillingStore() = default;

  // --- billing and usage (store/billing_records.h)
  // Upserts one org's snapshot of one day (kNotFound when the org is not the scope's).
  virtual Result<void> recordUsageSnapshot(const TenantScope& scope, const std::string& org_id,
                                           EpochDay day, std::int64_t users,
                                           std::int64_t devices) = 0;
  // Records `day`'s snapshot of every org of the provider from its users and devices now
  // (upsert, like recordUsageSnapshot); returns how many orgs were recorded.
  virtual Result<std::int64_t> recordUsageFromCounts(const TenantScope& scope, EpochDay day) = 0;
  // Provider-wide sums per day over [from, to), ascending by day; days without any snapshot
  // are absent.
  virtual Result<std::vector<UsageDayTotal>> usageDailyTotals(const TenantScope& scope,
                                                              EpochDay from, EpochDay to) = 0;
  // Every existing org (by name, then id): its latest snapshot on or before `current_day`
  // and its highest user count over [from, to).
  virtual Result<std::vector<OrganizationUsage>> usageByOrganization(const TenantScope& scope,
                                                                     EpochDay current_day,
                                                                     EpochDay from,
                                                                     EpochDay to) = 0;
  // kNotFound when the operator has set no price.
  virtual Result<BillingSettingsRecord> getBillingSettings(const TenantScope& scope) = 0;
  virtual Result<void> putBillingSettings(const TenantScope& scope,
                                          const BillingSettingsRecord& record) = 0;
  // kNotFound when none is stored.
  virtual Result<BillingInformationRecord> getBillingInformation(const TenantScope& scope) = 0;
  virtual Result<void> putBillingInformation(const TenantScope& scope,
                                             const BillingInformationRecord& record) = 0;
  // Returns the id. kConflict when the provider has an invoice with this period or number.
  virtual Result<std::string> createInvoice(const TenantScope& scope,
                                            const InvoiceRecord& record) = 0;
  virtual Result<InvoiceRecord> getInvoice(const TenantScope& scope, const std::string& id) = 0;
  // Newest period first.
  virtual Result<std::vector<InvoiceRecord>> listInvoices(const TenantScope& scope) = 0;
  // Adds a payment to an invoice that is not void: paid += amount; status becomes paid when
  // paid >= billed. Returns the payment id; kNotFound for an unknown (or void) invoice.
  virtual Result<std::string> recordPayment(const TenantScope& scope,
                                            const PaymentRecord& payment) = 0;
  // Oldest first.
  virtual Result<std::vector<PaymentRecord>> listPayments(const TenantScope& scope,
                                                          const std::string& invoice_id) = 0;
};

}  // namespace mtp::store
