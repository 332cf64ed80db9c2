// The users of managed orgs (JumpCloud's systemusers): the cross-org list, org-scoped CRUD and
// the account actions (unlock, suspend, activate, force password reset, resend activation).
// No HTTP here. Which orgs a caller reaches, and whether it may act on one, is the engine's
// answer, passed in (model::OrgReach) or checked before the call (the route's action, or the
// handler's per-item check in bulk actions); these use cases never decide access themselves.
//
// Every mutation writes exactly one activity event (resource type "user", the user's org as
// the event's organization) in the same transaction as the change; emails go to the outbox in
// that transaction too. No password or hash is ever returned or recorded.
// Thread-safety: safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "model/list_query.h"
#include "model/records.h"
#include "model/scope.h"

namespace mtp::app {

struct UserCreate {
  std::string username;
  std::string email;
  std::string firstname;
  std::string lastname;
  std::optional<std::string> password;  // checked against the password policy, stored hashed
  bool activated = false;               // ACTIVATED at once (else STAGED)
  bool sudo = false;
  bool passwordless_sudo = false;
  bool samba_service_user = false;
};

// Absent fields stay as they are.
struct UserChanges {
  std::optional<std::string> username;
  std::optional<std::string> email;
  std::optional<std::string> firstname;
  std::optional<std::string> lastname;
  std::optional<bool> sudo;
  std::optional<bool> passwordless_sudo;
  std::optional<bool> samba_service_user;
};

// The account actions, as bulk requests and single routes name them.
enum class UserAction {
  kUnlock,
  kSuspend,
  kActivate,
  kForcePasswordReset,
  kResendActivation,
  kResetMfa,
};

class UserService {
 public:
  explicit UserService(AppContext& app) : app_(app) {}

  Result<model::Page<model::SystemUserRecord>> list(const Actor& actor,
                                                       const model::OrgReach& reach,
                                                       const model::ListQuery& query);
  Result<model::SystemUserRecord> get(const Actor& actor, const std::string& org_id,
                                         const std::string& id);
  // `user_create`. kConflict when the username exists in the org.
  Result<model::SystemUserRecord> create(const Actor& actor, const std::string& org_id,
                                            const UserCreate& in);
  // `user_update` with one change per field that changed; nothing changed: no write.
  Result<model::SystemUserRecord> update(const Actor& actor, const std::string& org_id,
                                            const std::string& id, const UserChanges& in,
                                            const IfMatch& if_match = {});
  // `user_delete`.
  Result<void> remove(const Actor& actor, const std::string& org_id, const std::string& id,
                         const IfMatch& if_match = {});

  // One account action, with its event: unlock → `user_unlocked`; suspend →
  // `user_suspended`; activate → `user_activated`; force password reset →
  // `user_password_expired` plus an email; resend activation → `user_activation_resent` plus
  // an email (kPreconditionFailed unless the user is STAGED, or has no email); reset MFA →
  // `user_mfa_reset` (the TOTP enrollment is cleared: the user enrolls again).
  Result<model::SystemUserRecord> act(const Actor& actor, const std::string& org_id,
                                         const std::string& id, UserAction action);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
