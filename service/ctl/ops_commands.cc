#include "ops_commands.h"

#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>

#include "app/admin_text.h"
#include "auth/password.h"
#include "auth/random.h"
#include "main/bootstrap.h"
#include "ctl_store.h"
#include "policy_commands.h"
#include "store/store.h"

namespace mtp::ctl {
namespace {

struct ProviderArgs {
  std::string db, name, email, password, firstname = "Owner", lastname;
};

int providerCreate(const ProviderArgs& a) {
  auth::ensureSodium();
  if (auto bad = auth::checkPasswordPolicy(a.password)) {
    std::cerr << "mtpctl: --owner-password: " << *bad << "\n";
    return 2;
  }
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  auth::PasswordHasher hasher;
  service::ProviderOwnerSpec spec;
  spec.provider_name = a.name;
  spec.owner_email = a.email;
  spec.owner_password = a.password;
  spec.owner_firstname = a.firstname;
  spec.owner_lastname = a.lastname;
  auto made = service::createProviderWithOwner(*store, hasher, spec);
  if (!made) {
    std::cerr << "mtpctl: provider create: " << made.error() << "\n";
    const bool db = made.error().rfind("unavailable", 0) == 0 || made.error().rfind("internal", 0) == 0;
    return db ? 1 : 2;
  }
  std::cout << made->provider_id << std::endl;
  std::cerr << "mtpctl: provider \"" << a.name << "\" created with owner " << a.email
            << " (admin_billing); running mtpd replicas see it within a second (change feed)\n";
  return 0;
}

struct OutboxArgs {
  std::string db;
  bool all = false;
  int limit = 100;
};

int outboxList(const OutboxArgs& a) {
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  // Per provider through the tenant-scoped list (the store's only cross-provider email call
  // is the sender's pendingEmails, which hides emails that ran out of attempts).
  struct Row {
    model::ProviderRecord provider;
    model::EmailRecord email;
  };
  auto rows = store->query([&](store::Tx& tx) -> Result<std::vector<Row>> {
    auto providers = tx.listProviders();
    if (!providers) return fail(providers.error());
    std::vector<Row> out;
    for (const auto& p : *providers) {
      auto emails = tx.listEmails(model::TenantScope{p.id}, !a.all, a.limit);
      if (!emails) return fail(emails.error());
      for (auto& e : *emails) out.push_back({p, std::move(e)});
    }
    return out;
  });
  if (!rows) {
    std::cerr << "mtpctl: database: " << rows.error().text() << "\n";
    return 1;
  }
  // Bodies carry one-time tokens: never printed. Subjects and recipients are what an
  // operator needs to tell the emails apart.
  std::printf("%-24s %-20s %-20s %-32s %-40s %-8s %s\n", "id", "created", a.all ? "sent" : "provider", "to",
              "subject", "attempts", "last error");
  for (const auto& r : *rows) {
    const std::string third = a.all ? (r.email.sent_at ? app::formatRfc3339(*r.email.sent_at) : "-") : r.provider.name;
    std::printf("%-24s %-20s %-20s %-32s %-40s %-8d %s\n", r.email.id.c_str(), app::formatRfc3339(r.email.created).c_str(),
                third.c_str(), r.email.to_address.c_str(), r.email.subject.c_str(), r.email.attempts,
                r.email.last_error.c_str());
  }
  std::fprintf(stderr, "%zu email(s)%s\n", rows->size(), a.all ? "" : " waiting");
  return 0;
}

}  // namespace

void addOpsCommands(CLI::App& app) {
  auto* provider = app.add_subcommand("provider", "Operator: providers (MSPs) on this deployment");
  provider->require_subcommand(1);
  auto pargs = std::make_shared<ProviderArgs>();
  auto* create = provider->add_subcommand("create", "Add a provider with its owner (admin_billing); prints the provider id");
  create->add_option("--db", pargs->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  create->add_option("--name", pargs->name, "The provider's name")->required();
  create->add_option("--owner-email", pargs->email, "The owner's email (login)")->required();
  create->add_option("--owner-password", pargs->password, "The owner's password (or env MTP_OWNER_PASSWORD)")
      ->required()
      ->envname("MTP_OWNER_PASSWORD");
  create->add_option("--owner-firstname", pargs->firstname, "The owner's first name")->capture_default_str();
  create->add_option("--owner-lastname", pargs->lastname, "The owner's last name");
  create->callback([pargs] { exitCode() = providerCreate(*pargs); });

  auto* outbox = app.add_subcommand("outbox", "Operator: the email outbox");
  outbox->require_subcommand(1);
  auto oargs = std::make_shared<OutboxArgs>();
  auto* list = outbox->add_subcommand("list", "Show the emails waiting for delivery (never their bodies)");
  list->add_option("--db", oargs->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  list->add_flag("--all", oargs->all, "Also the emails already sent");
  list->add_option("--limit", oargs->limit, "At most this many per provider")->check(CLI::Range(1, 10000))
      ->capture_default_str();
  list->callback([oargs] { exitCode() = outboxList(*oargs); });
}

}  // namespace mtp::ctl
