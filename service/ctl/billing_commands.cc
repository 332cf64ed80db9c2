#include "billing_commands.h"

#include <ctime>
#include <iostream>
#include <memory>
#include <optional>

#include "app/billing_service.h"
#include "ctl_store.h"
#include "policy_commands.h"
#include "store/store.h"

namespace mtp::ctl {
namespace {

int appFailure(const char* what, const Status& e) {
  std::cerr << "mtpctl: billing " << what << ": " << e.message << "\n";
  return e.code == Status::Code::kInvalidArgument || e.code == Status::Code::kNotFound ? 2 : 1;
}

struct PriceArgs {
  std::string db, provider;
  std::int64_t cents = 0;
  std::optional<std::int64_t> user_cap;
};

int setPrice(const PriceArgs& a) {
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  auto done = app::setBillingPrice(*store, model::TenantScope{a.provider}, a.cents, a.user_cap);
  if (!done) return appFailure("set-price", done.error());
  std::cerr << "mtpctl: provider " << a.provider << ": " << a.cents << " cents per user\n";
  return 0;
}

struct CloseArgs {
  std::string db, provider, month;
};

int closeMonth(const CloseArgs& a) {
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  app::Month month = app::previousMonth(app::monthOf(now));
  if (!a.month.empty()) {
    auto m = app::parseMonth(a.month);
    if (!m) {
      std::cerr << "mtpctl: billing close-month: --month: expected YYYY-MM\n";
      return 2;
    }
    month = *m;
  }
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  std::vector<std::string> providers;
  if (!a.provider.empty()) {
    providers.push_back(a.provider);
  } else {
    auto all = store->query([](store::Tx& tx) { return tx.listProviders(); });
    if (!all) {
      std::cerr << "mtpctl: database: " << all.error().text() << "\n";
      return 1;
    }
    for (const auto& p : *all) providers.push_back(p.id);
  }
  int failed = 0;
  for (const auto& p : providers) {
    auto r = app::closeMonth(*store, model::TenantScope{p}, month, now);
    if (!r) {
      rc = appFailure("close-month", r.error());
      ++failed;
      continue;
    }
    switch (r->kind) {
      case app::CloseOutcome::Kind::kCreated:
        std::cout << p << " " << r->invoice.number << " " << r->invoice.users << " users "
                  << r->invoice.billed_cents << " cents\n";
        break;
      case app::CloseOutcome::Kind::kAlreadyClosed:
        std::cerr << "mtpctl: provider " << p << ": " << app::monthText(month)
                  << " is already billed; nothing to do\n";
        break;
      case app::CloseOutcome::Kind::kNoPrice:
        std::cerr << "mtpctl: provider " << p << ": no price per user set "
                  << "(mtpctl billing set-price); skipped\n";
        break;
    }
  }
  return failed ? rc : 0;
}

struct SnapshotArgs {
  std::string db, provider, org;
  std::optional<std::int64_t> users, devices;
};

int snapshot(const SnapshotArgs& a) {
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  if (!a.org.empty()) {
    if (a.provider.empty() || !a.users || !a.devices) {
      std::cerr << "mtpctl: billing snapshot: --org needs --provider, --users and --devices "
                   "(without --org, today's counts of every org are recorded)\n";
      return 2;
    }
    auto done = store->transact([&](store::Tx& tx) {
      return tx.recordUsageSnapshot(model::TenantScope{a.provider}, a.org, app::epochDayOf(now),
                                    *a.users, *a.devices);
    });
    if (!done) {
      std::cerr << "mtpctl: billing snapshot: " << done.error().text() << "\n";
      return done.error().isNotFound() ? 2 : 1;
    }
    return 0;
  }
  auto n = app::recordUsageSnapshots(*store, now, a.provider);
  if (!n) {
    std::cerr << "mtpctl: billing snapshot: " << n.error().message << "\n";
    return n.error().code == Status::Code::kNotFound ? 2 : 1;
  }
  std::cout << "recorded " << *n << " organization" << (*n == 1 ? "" : "s") << "\n";
  return 0;
}

}  // namespace

void addBillingCommands(CLI::App& app) {
  auto* billing = app.add_subcommand("billing", "Operator: prices, usage snapshots, monthly invoices");
  billing->require_subcommand(1);

  auto price = std::make_shared<PriceArgs>();
  auto* sp = billing->add_subcommand("set-price", "Set a provider's price per user (integer cents)");
  sp->add_option("--db", price->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  sp->add_option("--provider", price->provider, "The provider id")->required();
  sp->add_option("--cents", price->cents, "Price per user per month, in cents")->required()->check(CLI::NonNegativeNumber);
  sp->add_option("--user-cap", price->user_cap, "The user cap shown on usage")->check(CLI::NonNegativeNumber);
  sp->callback([price] { exitCode() = setPrice(*price); });

  auto close = std::make_shared<CloseArgs>();
  auto* cm = billing->add_subcommand("close-month", "Bill a month's high-water mark (idempotent)");
  cm->add_option("--db", close->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  cm->add_option("--provider", close->provider, "Only this provider (default: every one)");
  cm->add_option("--month", close->month, "YYYY-MM (default: the previous month, UTC)");
  cm->callback([close] { exitCode() = closeMonth(*close); });

  auto snap = std::make_shared<SnapshotArgs>();
  auto* sn = billing->add_subcommand("snapshot", "Record today's usage snapshot of every org from its users and devices");
  sn->add_option("--db", snap->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  sn->add_option("--provider", snap->provider, "Only this provider (default: every one)");
  sn->add_option("--org", snap->org, "Record this org's counts by hand");
  sn->add_option("--users", snap->users, "Users today")->check(CLI::NonNegativeNumber);
  sn->add_option("--devices", snap->devices, "Devices today")->check(CLI::NonNegativeNumber);
  sn->callback([snap] { exitCode() = snapshot(*snap); });
}

}  // namespace mtp::ctl
