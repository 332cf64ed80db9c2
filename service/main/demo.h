// `mtpd --demo`: seeds an empty database with a provider "Demo MSP", four organizations (one
// tagged change-freeze) and one active admin of each of the eight built-in roles, each with a
// generated password. help_desk and manager reach two orgs by grant, the others all orgs; the
// `admin` account requires MFA. Passwords are stored hashed only, so they can be printed only
// by the start that created them.
//
// Thread-safety: a free function; safe from any thread.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "auth/password.h"
#include "store/store.h"

namespace mtp::service {

inline constexpr const char* kDemoProviderName = "Demo MSP";

struct DemoLogin {
  std::string role;
  std::string email;
  std::string password;
  bool mfa_required = false;
  std::vector<std::string> organizations;  // names; empty: all organizations
};

struct DemoOutcome {
  // created: seeded now (logins hold the passwords). Otherwise nothing was written and
  // already_seeded tells whether the database has the demo provider (or other providers).
  bool created = false;
  bool already_seeded = false;
  std::string provider_id;
  std::vector<std::string> organizations;  // names, in creation order
  std::vector<DemoLogin> logins;
};

// Seeds the demo when the database has no provider at all; one transaction, with an event
// per row created (provider_create, organization_create, admin_create; initiated by system).
std::expected<DemoOutcome, std::string> seedDemo(store::Store& store, auth::PasswordHasher& passwords);

// The text for stdout: the URL, the logins (or why there are none) and a curl example.
std::string demoBanner(const DemoOutcome& outcome, const std::string& url);

}  // namespace mtp::service
