// TOTP second factor (RFC 6238) with liboath: HMAC-SHA1, 6 digits, 30 s steps, and a window
// of one step either side for clock drift. Secrets are 20 random bytes, stored and shown as
// unpadded RFC 4648 base32 (what authenticator apps expect).
//
// Replays: verify() returns the matched time step; the caller stores it per admin and passes
// it back as `last_accepted_step`, so a code (or an older one) is accepted at most once.
//
// Thread-safety: every function is safe from any thread.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace mtp::auth::totp {

inline constexpr unsigned kDigits = 6;
inline constexpr unsigned kStepSeconds = 30;
inline constexpr std::size_t kWindow = 1;
inline constexpr std::size_t kSecretBytes = 20;

// A new secret: 20 random bytes, base32 (32 characters, no padding).
std::string generateSecret();

// `otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30`
// with issuer and account percent-encoded.
std::string otpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

// The time step of `now` (floor(now / 30)).
std::int64_t stepOf(std::time_t now);

// If `code` is the code of a step within ±1 of `now` for this secret, and that step is later
// than `last_accepted_step`, returns the step; otherwise nullopt (wrong code, malformed code
// or secret, or a replay). Pass a negative `last_accepted_step` when none was accepted yet.
std::optional<std::int64_t> verify(std::string_view secret_base32, std::string_view code,
                                   std::time_t now, std::int64_t last_accepted_step);

// The code of `secret_base32` at `t`, computed by liboath (for tests and tooling); empty if
// the secret is not valid base32.
std::string codeAt(std::string_view secret_base32, std::time_t t);

}  // namespace mtp::auth::totp
