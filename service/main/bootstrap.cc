#include "main/bootstrap.h"

#include <nlohmann/json.hpp>

#include "auth/random.h"

namespace mtp::service {
namespace {

model::ActivityRecord systemEvent(const std::string& provider, std::string type,
                                  std::string resource_type, std::string resource_id,
                                  const nlohmann::json& changes) {
  model::ActivityRecord e;
  e.provider_id = provider;
  e.event_type = std::move(type);
  e.initiated_by_type = "system";
  e.resource_type = std::move(resource_type);
  e.resource_id = std::move(resource_id);
  e.changes_json = changes.dump();
  e.auth_method = "system";
  return e;
}

nlohmann::json change(const std::string& field, const std::string& to) {
  return {{"field", field}, {"from", ""}, {"to", to}};
}

std::string storeMessage(const Status& s) {
  if (s.isConflict()) return "an administrator with this email exists in the provider";
  return s.text();
}

}  // namespace

std::string generatePassword() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // 32: no 0/O, 1/I
  const std::string bytes = auth::randomBytes(20);
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 5 == 0) out += '-';
    out += kAlphabet[static_cast<unsigned char>(bytes[i]) & 31];
  }
  // A 20-character draw of one repeated letter (2^-95) would fail the policy: draw again.
  return auth::checkPasswordPolicy(out) ? generatePassword() : out;
}

std::expected<ProviderOwnerCreated, std::string> createProviderWithOwner(
    store::Store& store, auth::PasswordHasher& passwords, const ProviderOwnerSpec& spec) {
  if (spec.provider_name.empty()) return std::unexpected("the provider name is empty");
  if (spec.owner_email.empty() || spec.owner_email.find('@') == std::string::npos ||
      spec.owner_email.find_first_of(" \t\r\n<>") != std::string::npos)
    return std::unexpected("the owner email is not an address");
  if (auto bad = auth::checkPasswordPolicy(spec.owner_password)) return std::unexpected(*bad);
  auto hash = passwords.hash(spec.owner_password);
  if (!hash) return std::unexpected("password hashing failed: " + std::string(auth::passwordStatusName(hash.error())));

  ProviderOwnerCreated out;
  out.provider_id = auth::newId();
  const model::TenantScope scope{out.provider_id};
  auto done = store.transact([&](store::Tx& tx) -> Result<bool> {
    if (spec.only_if_no_provider) {
      auto existing = tx.listProviders();
      if (!existing) return fail(existing.error());
      if (!existing->empty()) return false;
    }
    model::ProviderRecord p;
    p.id = out.provider_id;
    p.name = spec.provider_name;
    if (auto r = tx.createProvider(scope, p); !r) return fail(r.error());
    if (auto r = tx.appendActivity(scope, systemEvent(out.provider_id, "provider_create", "provider",
                                                      out.provider_id,
                                                      nlohmann::json::array({change("name", p.name)})));
        !r)
      return fail(r.error());

    model::AdminRecord a;
    a.provider_id = out.provider_id;
    a.email = spec.owner_email;
    a.firstname = spec.owner_firstname;
    a.lastname = spec.owner_lastname;
    a.role_name = "admin_billing";
    a.status = model::AdminStatus::kActive;
    a.all_organizations = true;
    auto admin = tx.createAdmin(scope, a, *hash);
    if (!admin) return fail(admin.error());
    out.admin_id = *admin;
    auto changes = nlohmann::json::array({change("email", a.email), change("roleName", a.role_name),
                                          change("status", "active"),
                                          change("allOrganizations", "true")});
    if (auto r = tx.appendActivity(scope, systemEvent(out.provider_id, "admin_create", "admin", *admin, changes)); !r)
      return fail(r.error());
    return true;
  });
  if (!done) return std::unexpected(storeMessage(done.error()));
  out.created = *done;
  if (!out.created) out = ProviderOwnerCreated{};
  return out;
}

std::expected<BootstrapOutcome, std::string> bootstrapIfEmpty(store::Store& store,
                                                              auth::PasswordHasher& passwords,
                                                              const BootstrapInput& input) {
  // Cheap check first, so later starts hash nothing.
  auto providers = store.query([](store::Tx& tx) { return tx.listProviders(); });
  if (!providers) return std::unexpected(storeMessage(providers.error()));
  BootstrapOutcome out;
  if (!providers->empty()) return out;

  ProviderOwnerSpec spec;
  spec.provider_name = input.provider_name;
  spec.owner_email = input.email.empty() ? kDefaultBootstrapEmail : input.email;
  spec.owner_password = input.password.empty() ? generatePassword() : input.password;
  spec.only_if_no_provider = true;
  if (!input.password.empty()) {
    if (auto bad = auth::checkPasswordPolicy(input.password))
      return std::unexpected("MTP_BOOTSTRAP_PASSWORD: " + *bad);
  }
  auto made = createProviderWithOwner(store, passwords, spec);
  if (!made) return std::unexpected(made.error());
  if (!made->created) return out;  // another process seeded it meanwhile
  out.created = true;
  out.provider_name = spec.provider_name;
  out.provider_id = made->provider_id;
  out.admin_id = made->admin_id;
  out.email = spec.owner_email;
  if (input.password.empty()) out.generated_password = spec.owner_password;
  return out;
}

std::string bootstrapBanner(const BootstrapOutcome& o) {
  if (!o.created) return "";
  std::string s = "mtpd: first start: created provider \"" + o.provider_name + "\" (" + o.provider_id + ") and its owner " +
                  o.email + " (admin_billing, all organizations)\n";
  if (!o.generated_password.empty()) {
    s += "mtpd: one-time password for " + o.email + ": " + o.generated_password + "\n" +
         "mtpd: it is shown this once and stored hashed only; change it after logging in\n"
         "      (PUT /api/v2/me/password), or set MTP_BOOTSTRAP_EMAIL/MTP_BOOTSTRAP_PASSWORD\n"
         "      before the first start next time.\n";
  } else {
    s += "mtpd: its password is the one in MTP_BOOTSTRAP_PASSWORD\n";
  }
  return s;
}

}  // namespace mtp::service
