#include "model/records.h"

namespace mtp::model {

std::string_view adminStatusText(AdminStatus s) {
  switch (s) {
    case AdminStatus::kActive: return "active";
    case AdminStatus::kPending: return "pending";
    case AdminStatus::kSuspended: return "suspended";
  }
  return "pending";
}

std::string_view sessionKindText(SessionKind k) {
  switch (k) {
    case SessionKind::kFull: return "full";
    case SessionKind::kMfaEnroll: return "mfa_enroll";
    case SessionKind::kOrgLaunch: return "org_launch";
  }
  return "full";
}

std::string_view tokenKindText(TokenKind k) {
  switch (k) {
    case TokenKind::kActivation: return "activation";
    case TokenKind::kPasswordReset: return "password_reset";
    case TokenKind::kTotpReset: return "totp_reset";
  }
  return "activation";
}

std::string_view userStateText(UserState s) {
  switch (s) {
    case UserState::kStaged: return "STAGED";
    case UserState::kActivated: return "ACTIVATED";
    case UserState::kSuspended: return "SUSPENDED";
  }
  return "STAGED";
}

std::optional<UserState> parseUserState(std::string_view s) {
  if (s == "STAGED") return UserState::kStaged;
  if (s == "ACTIVATED") return UserState::kActivated;
  if (s == "SUSPENDED") return UserState::kSuspended;
  return std::nullopt;
}

}  // namespace mtp::model
