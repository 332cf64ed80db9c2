// Session tokens: HS256 JWTs signed with a server key (cpp-jwt).
//
// Only HS256 is accepted (never `none`), the signature is always verified, `exp` is
// required, and `iss`/`aud` must match. verify() returns a typed error, never throws.
// Claims: iss, aud, sub (admin id), pid (provider id), jti, iat, exp, mfa (bool),
// scope ("full" | "mfa_enroll" | "org"), org (for org launch tokens); header `kid`.
//
// Thread-safety: a TokenCodec is immutable after construction; issue() and verify() are
// safe from any thread.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mtp::auth {

// A signing key and its id (the first 8 hex characters of BLAKE2b-256 of the key).
struct SigningKey {
  std::string bytes;  // at least 32 bytes
  std::string kid;

  static SigningKey fromBytes(std::string bytes);
};

// Loads the key file at `path`, or creates it (mode 0600, 32 random bytes, written
// atomically) when it does not exist. Refuses an existing file that is readable or writable
// by group or others, or shorter than 32 bytes, with a message naming the path and the fix.
std::expected<SigningKey, std::string> loadOrCreateKeyFile(const std::filesystem::path& path);

enum class TokenScope { kFull, kMfaEnroll, kOrg };
std::string_view tokenScopeName(TokenScope s);
std::optional<TokenScope> parseTokenScope(std::string_view name);

struct TokenClaims {
  std::string admin_id;     // sub
  std::string provider_id;  // pid
  std::string jti;          // empty on issue(): a random one is made
  bool mfa = false;
  TokenScope scope = TokenScope::kFull;
  std::string org;          // only with TokenScope::kOrg
  std::int64_t iat = 0;     // seconds since the epoch
  std::int64_t exp = 0;
};

enum class TokenError {
  kMalformed,        // not three base64url parts of JSON, or a claim of the wrong type
  kWrongAlgorithm,   // alg is not HS256 (including `none`)
  kBadSignature,     // the signature does not verify with our key (or an unknown kid)
  kExpired,          // exp is in the past
  kMissingClaim,     // exp, sub, pid, jti or scope absent
  kWrongIssuer,
  kWrongAudience,
};
std::string_view tokenErrorName(TokenError e);

class TokenCodec {
 public:
  TokenCodec(SigningKey key, std::string issuer, std::string audience);

  // A signed token for `claims` (jti filled in when empty).
  // REQUIRES: claims.exp > claims.iat.
  std::string issue(TokenClaims claims) const;

  // The claims of `token` if it is one of ours and valid at `now`.
  std::expected<TokenClaims, TokenError> verify(std::string_view token, std::int64_t now) const;

  const std::string& kid() const { return key_.kid; }

 private:
  SigningKey key_;
  std::string issuer_;
  std::string audience_;
};

}  // namespace mtp::auth
