// The user portal's sign-in for users of managed orgs, under each org's password policy, and
// that policy itself (lock-out after N failures, password expiry after N days). No HTTP here.
//
// Sign-in, in order: the org id names its provider (an unknown org: no tenant); the user is
// looked up by username (case-insensitively) in that org; the password is verified with
// argon2id (bounded: kBusy → kUnavailable); a missing org, user or password verifies against
// a dummy hash, so that time and answer are the same: kUnauthenticated "invalid
// organization, username or password". Only a caller who gave the right password learns the
// account's state, each with kPreconditionFailed and its own message: locked, not active
// (STAGED or SUSPENDED), password expired (past password_expiration_date, or forced by an
// admin's expire). A wrong password against an ACTIVATED, unlocked user counts a failed login
// and, at the org's lockoutAfterFailures (0: never), locks the account. A success clears the
// count. No session is issued: the answer is the user's public record.
//
// Events: every attempt that names an existing org writes one `user_login_attempt`
// (success true/false, initiated by the user, resource the user when known) in the org's
// provider; the attempt that locks the account also writes `user_lockout` (initiated by
// "system"), in the same transaction as the count and the lock.
//
// Thread-safety: holds only a reference to the AppContext; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "model/records.h"

namespace mtp::app {

struct UserLoginInput {
  std::string organization;  // the org id
  std::string username;
  std::string password;
  std::string client_ip;
};

// A user changes their password in the user portal: the current credentials (checked as a
// sign-in, except that an expired password is what this is for) and the new password.
struct UserPasswordChangeInput {
  UserLoginInput current;
  std::string new_password;
};

// A STAGED user activates their account from the activation email's link.
struct UserActivationInput {
  std::string token;
  std::string password;
  std::string client_ip;
};

// Absent fields stay as they are. Bounds are the handler's to check (kMax* below).
struct PasswordPolicyChanges {
  std::optional<int> lockout_after_failures;    // 0: never lock
  std::optional<int> password_expiration_days;  // 0: never expires
};

class UserLoginService {
 public:
  static constexpr int kMaxLockoutAfterFailures = 100;
  static constexpr int kMaxPasswordExpirationDays = 3650;

  explicit UserLoginService(AppContext& app) : app_(app) {}

  Result<model::SystemUserRecord> login(const UserLoginInput& in);

  // The current password verified as login() does (the same answers, events and lock-out
  // count), except that an expired or force-reset password is accepted; the new one must meet
  // auth::checkPasswordPolicy and differ from the current one (kInvalid, checked first, no
  // attempt counted). On success: the new hash, dated by the org's expiry policy, the forced
  // flag cleared, and `user_password_changed` (initiated by the user), in one transaction.
  Result<model::SystemUserRecord> changePassword(const UserPasswordChangeInput& in);

  // The activation link's token (used once, before it expires) and a new password: the STAGED
  // user becomes ACTIVATED with that password, one `user_activated` event initiated by the
  // user, all in one transaction. An unknown, used or expired token: kInvalid with one
  // message; a user no longer STAGED: kPreconditionFailed (the token is not spent).
  Result<model::SystemUserRecord> activate(const UserActivationInput& in);

  // The org's policy (defaults when never set). The org was checked by the route's action.
  Result<model::PasswordPolicyRecord> policy(const Actor& actor, const std::string& org_id);
  // `organization_password_policy_update` with one change per changed field; nothing
  // changed: no write. A new passwordExpirationDays re-dates every password on file at once
  // (password_expiration_date = when it was set + days; 0: none), in the same transaction.
  // With If-Match: 412 unless the policy's version (0: never set) is one it names, checked
  // under the org's row lock.
  Result<model::PasswordPolicyRecord> putPolicy(const Actor& actor, const std::string& org_id,
                                                   const PasswordPolicyChanges& in,
                                                   const IfMatch& if_match = {});

 private:
  enum class Purpose { kSignIn, kPasswordChange };
  struct Verified {
    model::TenantScope scope;
    model::PasswordPolicyRecord policy;
    model::SystemUserRecord user;
  };
  Result<Verified> verify(const UserLoginInput& in, Purpose purpose);

  AppContext& app_;
};

}  // namespace mtp::app
