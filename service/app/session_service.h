// Sign-in, sessions and what an admin does on their own account: login (password, lock-out,
// TOTP, MFA enrollment sessions), logout, the profile, activation and reset links, TOTP
// enrollment, password change and API keys. No HTTP here: the handlers in
// handlers/session_routes.cc decode requests and map Status.
//
// Login, in order: the email names at most one admin (emails are unique across providers
// since schema 015; the code still takes a list of candidates, which holds one); each
// candidate's password is verified (argon2id, bounded: kBusy → kUnavailable); an unknown email verifies
// against a dummy hash, so time and answer are the same. A candidate wins when its password
// matches, it is active and not locked. No winner: every candidate with a wrong password
// counts a failed attempt (locking after config().lockout_after) and each candidate's
// provider gets one failed admin_login_attempt event; the answer is always
// kUnauthenticated "invalid email or password". The winner then passes MFA (required by the
// provider or the admin): enrolled → a valid, unreplayed TOTP code (missing or wrong:
// kMfaRequired; wrong counts as a failed attempt); not enrolled → a short session that
// reaches only enrollment (scope kMfaEnroll). Every evaluated attempt writes one
// admin_login_attempt event in the same transaction as the count update or session creation.
//
// Thread-safety: a SessionService holds only a reference to the AppContext; safe from any
// thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/authorization.h"
#include "model/status.h"
#include "auth/tokens.h"
#include "model/records.h"

namespace mtp::app {

struct LoginInput {
  std::string email;
  std::string password;
  std::optional<std::string> totp;
  std::string client_ip;
};

// A session just created: the signed token (returned to the client once) and its facts.
struct IssuedSession {
  std::string token;
  std::int64_t expires_in = 0;  // seconds
  auth::TokenScope scope = auth::TokenScope::kFull;
  bool mfa = false;
  model::AdminRecord admin;
};

struct Profile {
  model::AdminRecord admin;
  std::vector<model::GrantRecord> grants;  // live grants only (expired ones are no grants)
  std::vector<std::string> actions;        // effective action names, catalogue order
};

struct TotpEnrollment {
  std::string secret;  // base32; shown once
  std::string otpauth_uri;
};

struct TotpConfirmation {
  // Set when the caller came with an enrollment-only session: a fresh full session with
  // MFA verified (the enrollment session is revoked).
  std::optional<IssuedSession> session;
};

class SessionService {
 public:
  explicit SessionService(AppContext& app) : app_(app) {}

  Result<IssuedSession> login(const LoginInput& in);

  // Revokes the caller's session at once. kInvalidArgument for an API key (no session).
  Result<void> logout(const Actor& actor);

  Result<Profile> profile(const Actor& actor, const Authorization& authz);

  // One-time links. Each consumes the token (hashOneTimeToken) of its kind; an unknown,
  // used or expired token is kInvalidArgument "invalid or expired token". The password is
  // checked against the policy before the token is consumed.
  Result<void> activate(const std::string& token, const std::string& password,
                           const std::string& client_ip);
  Result<void> resetPassword(const std::string& token, const std::string& password,
                                const std::string& client_ip);
  Result<void> resetTotp(const std::string& token, const std::string& client_ip);

  // A new TOTP secret, not enrolled until confirmed. kConflict when already enrolled,
  // unless the caller's session verified MFA (re-enrollment replaces the secret).
  Result<TotpEnrollment> startTotpEnrollment(const Actor& actor);
  // The first valid code confirms the enrollment. Wrong code: kInvalidArgument.
  Result<TotpConfirmation> confirmTotp(const Actor& actor, const std::string& code);

  // Verifies the current password (a wrong one counts as a failed attempt), checks the
  // policy, stores the new hash and revokes every session of the admin. A caller on a
  // session gets a fresh session (same kind, MFA and expiry) in place of the revoked one.
  Result<std::optional<IssuedSession>> changePassword(const Actor& actor,
                                                         const std::string& current,
                                                         const std::string& next);

  // A new API key (shown once); the old one is revoked in the same transaction.
  Result<std::string> newApiKey(const Actor& actor);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
