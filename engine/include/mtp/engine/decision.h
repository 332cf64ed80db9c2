// The answer of the engine: allowed or not, the reason code of the spec, and the id of the
// role or policy that decided it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mtp::engine {

// The checks of spec/authorization.md, in order; the first failing check is the reason.
enum class Reason : std::uint8_t {
  kAllowed,
  kUnknownAction,
  kUnknownAdmin,
  kProviderMismatch,
  kAdminNotActive,
  kApiAccessDisabled,
  kMfaRequired,
  kSessionScope,  // part of check 5: the credential's scope does not cover the request
  kOrgUnknown,
  kOrgNotGranted,
  kGrantExpired,
  kRoleLacksAction,
  kEscalation,
  kForbiddenByPolicy,
};

// "allowed", "unknown_action", ... as the spec spells them.
std::string_view reasonName(Reason r);
std::optional<Reason> parseReason(std::string_view name);

struct Decision {
  bool allowed = false;
  Reason reason = Reason::kUnknownAction;
  // The role id or policy id that decided (for a denial before any role or policy was
  // consulted, the name of the check, e.g. "check:mfa"). Points into the PolicySet of the
  // Snapshot that produced it: valid as long as that Snapshot is held.
  std::string_view decided_by;
};

}  // namespace mtp::engine
