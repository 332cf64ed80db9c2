// What is asked of the engine: which admin wants to do which action, where, and how the
// request came in. A view: it owns nothing, so building one does not allocate.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "mtp/engine/action.h"

namespace mtp::engine {

enum class AuthMethod : std::uint8_t { kSession, kApiKey };

// What the credential of the request covers (check 5, `session_scope`): a full session or
// API key; an enrollment-only session (its own MFA enrollment and logout, nothing else); an
// org launch session (org-scoped actions on its one org, and logout).
enum class SessionScope : std::uint8_t { kFull, kEnrollmentOnly, kOrgLaunch };

// An IPv4 or IPv6 address; IPv4 is held as an IPv4-mapped IPv6 address.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool operator==(const IpAddress&) const = default;
};
std::optional<IpAddress> parseIpAddress(std::string_view text);

// A CIDR block (`10.0.0.0/8`, `2001:db8::/32`; a bare address is a /32 or /128).
struct IpNetwork {
  IpAddress base;
  std::uint8_t prefix = 0;  // in IPv6 bits
  bool contains(const IpAddress& ip) const;
};
std::optional<IpNetwork> parseIpNetwork(std::string_view text);

// Seconds since the Unix epoch, UTC.
using UnixTime = std::int64_t;
// Parses RFC 3339 (`2026-11-22T16:00:00Z`, offsets allowed).
std::optional<UnixTime> parseRfc3339(std::string_view text);

// An org the target admin is to be granted, with its optional per-org role.
struct TargetGrant {
  std::string_view organization;
  std::string_view role;  // empty: the target's default role
};

// The admin being created or edited (admins.create, admins.update, admins.grant_access):
// what the escalation check compares with the acting admin.
struct Target {
  bool present = false;
  std::string_view role;           // the target's default role; empty: unchanged
  std::string_view email;
  bool all_organizations = false;  // the target is to reach every org
  std::span<const TargetGrant> organizations;
};

struct Request {
  std::string_view admin;         // the acting admin's id
  ActionId action = kNoAction;    // kNoAction: the name was not in the catalogue
  std::string_view organization;  // the target org (org-scoped actions); empty: none
  std::string_view provider;      // the target provider; empty: the admin's own
  AuthMethod auth_method = AuthMethod::kSession;
  bool mfa = false;               // the session verified MFA
  SessionScope session_scope = SessionScope::kFull;
  std::string_view launch_org;    // kOrgLaunch: the one org the credential reaches
  std::optional<IpAddress> client_ip;
  UnixTime time = 0;              // when the request is made (grant expiry, time windows)
  Target target;
  // For a list over every org the admin reaches: an org-scoped action asked without an org.
  // Checks 1-5 run as usual; check 6 is skipped; check 7 passes when the default role or
  // the role of any live org grant holds the action. Policies are not consulted here: they
  // may depend on the org, so the list is filtered by Snapshot::orgsFor, which applies them
  // org by org. An org launch session asking about any org asks about its launch org.
  bool any_organization = false;
};

}  // namespace mtp::engine
