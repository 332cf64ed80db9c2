// Who a request's credential names (the use case behind mtpd's Authenticator): a bearer token
// must be one of our JWTs (signature, algorithm, issuer, audience, expiry) AND name a live
// session in the store (not revoked, not expired: logout and suspension take effect at once);
// an API key must match an unrevoked key's hash. Both go through the CredentialCache first.
// The admin's status, role and grants are the engine's business, not this class's.
//
// Refusals: Status::unauthenticated (the message is the client's) or, when the store cannot
// be reached, Status::unavailable(2). Thread-safety: every method from any thread.
#pragma once

#include <string>
#include <string_view>

#include "app/app_context.h"
#include "model/status.h"
#include "auth/tokens.h"
#include "mtp/engine/request.h"

namespace mtp::app {

struct CredentialOwner {
  std::string admin_id;
  std::string provider_id;
  engine::AuthMethod auth_method = engine::AuthMethod::kSession;
  bool mfa = false;                                  // the session verified MFA
  auth::TokenScope scope = auth::TokenScope::kFull;  // API keys: kFull
  std::string org;                                   // scope kOrg: the one org it reaches
  std::string jti;                                   // session id (empty for API keys)
};

class Authentication {
 public:
  explicit Authentication(AppContext& app) : app_(app) {}

  Result<CredentialOwner> bearer(std::string_view token);
  Result<CredentialOwner> apiKey(std::string_view key);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
