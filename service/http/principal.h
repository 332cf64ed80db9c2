// Who is calling: what an Authenticator makes of a bearer token or an API key.
// Thread-safety: plain values; an Authenticator implementation must be safe from any thread.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "auth/tokens.h"
#include "http/errors.h"
#include "mtp/engine/request.h"

namespace mtp::http {

struct Principal {
  std::string admin_id;
  std::string provider_id;
  engine::AuthMethod auth_method = engine::AuthMethod::kSession;
  bool mfa = false;                                // the session verified MFA
  auth::TokenScope scope = auth::TokenScope::kFull;  // API keys: kFull
  std::string org;                                 // scope kOrg: the one org it reaches
  std::string jti;                                 // session id (empty for API keys)
};

// The credentials of a request, as sent. Views into the request: valid during the call.
struct Credentials {
  std::string_view bearer;   // from `Authorization: Bearer <token>`; empty if none
  std::string_view api_key;  // from `x-api-key`; empty if none
  std::string_view client_ip;
};

// Turns credentials into a Principal. Implementations check the token or key (signature,
// expiry, revocation) and that the admin exists; the engine decides everything else.
// Return Status::unauthenticated() when the credentials are missing or invalid, or
// Status::unavailable() when the store cannot be reached. Must not throw (a throw is
// answered 500 internal).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual std::expected<Principal, Status> authenticate(const Credentials& credentials) = 0;
};

}  // namespace mtp::http
