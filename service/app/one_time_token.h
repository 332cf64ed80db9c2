// One-time tokens for emailed links (activation, password reset, TOTP reset): 32 random
// bytes as 64 hex characters, sent to the admin once; the store keeps only a hash.
//
// The token has 256 bits of entropy, so a fast hash suffices (nothing to brute-force):
// BLAKE2b-256, hex. Every place that creates or consumes such a token must use
// hashOneTimeToken(), so the stored hash and the looked-up hash agree.
//
// Thread-safety: both functions are safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace mtp::app {

struct OneTimeToken {
  std::string token;  // goes in the email link, never stored or logged
  std::string hash;   // hashOneTimeToken(token): what the store keeps
};

// A new random token and its hash.
OneTimeToken newOneTimeToken();

// 64 lowercase hex characters: BLAKE2b-256 of `token`.
std::string hashOneTimeToken(std::string_view token);

}  // namespace mtp::app
