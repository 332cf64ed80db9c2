#include "mtp/engine/decision.h"

#include <array>

namespace mtp::engine {
namespace {
constexpr std::array<std::string_view, 14> kNames = {
    "allowed",        "unknown_action",  "unknown_admin",   "provider_mismatch",
    "admin_not_active", "api_access_disabled", "mfa_required", "session_scope", "org_unknown",
    "org_not_granted", "grant_expired",   "role_lacks_action", "escalation",
    "forbidden_by_policy",
};
}  // namespace

std::string_view reasonName(Reason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<Reason> parseReason(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Reason>(i);
  return std::nullopt;
}

}  // namespace mtp::engine
