// Operator-side seeding of tenants, without HTTP: the first-start bootstrap of mtpd (a
// provider and its owner when the database has none) and `mtpctl provider create` (another
// provider on the same deployment). Both write the rows and their activity events
// (initiated by `system`) in one transaction. Passwords are hashed before the transaction and
// never logged; a generated password is returned to the caller, who prints it once.
//
// Thread-safety: free functions; safe from any thread (the store and hasher are).
#pragma once

#include <expected>
#include <string>

#include "auth/password.h"
#include "store/store.h"

namespace mtp::service {

struct ProviderOwnerSpec {
  std::string provider_name;
  std::string owner_email;
  std::string owner_password;  // must pass auth::checkPasswordPolicy
  std::string owner_firstname = "Owner";
  std::string owner_lastname;
  // Only when the database holds no provider at all (checked inside the transaction).
  bool only_if_no_provider = false;
};

struct ProviderOwnerCreated {
  bool created = false;  // false: only_if_no_provider and a provider exists; nothing written
  std::string provider_id;
  std::string admin_id;
};

// Creates a provider and its owner: role admin_billing, allOrganizations, active, with the
// given password; events provider_create and admin_create. Errors are messages for the
// operator (the password policy's text, "an administrator with this email exists", ...).
std::expected<ProviderOwnerCreated, std::string> createProviderWithOwner(
    store::Store& store, auth::PasswordHasher& passwords, const ProviderOwnerSpec& spec);

// What mtpd does on every start. Environment: MTP_BOOTSTRAP_EMAIL, MTP_BOOTSTRAP_PASSWORD.
struct BootstrapInput {
  std::string provider_name = "MSP";
  std::string email;     // empty: kDefaultBootstrapEmail
  std::string password;  // empty: a generated one-time password
};
inline constexpr const char* kDefaultBootstrapEmail = "admin@mtp.localhost";

struct BootstrapOutcome {
  bool created = false;  // false: the database already had a provider (a later start)
  std::string provider_name;
  std::string provider_id;
  std::string admin_id;
  std::string email;
  std::string generated_password;  // non-empty only when created without an env password
};

// When the database has no provider: creates provider + owner. Idempotent afterwards.
// Two first starts racing on one empty PostgreSQL database may both seed (start one first).
std::expected<BootstrapOutcome, std::string> bootstrapIfEmpty(store::Store& store,
                                                              auth::PasswordHasher& passwords,
                                                              const BootstrapInput& input);

// A random password for people to type: 20 characters from an unambiguous alphabet (about
// 100 bits), passing the password policy.
std::string generatePassword();

// The bootstrap's text for stdout (the only place a generated password ever appears).
std::string bootstrapBanner(const BootstrapOutcome& outcome);

}  // namespace mtp::service
