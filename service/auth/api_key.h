// API keys: `mtp_` followed by 40 lowercase hex characters (160 random bits). Stored as a
// keyed BLAKE2b-256 hash with a server pepper (a high-entropy key needs no slow hash; the
// pepper means a leaked table alone cannot confirm a guessed key). Compared in constant time.
//
// Thread-safety: an ApiKeyHasher is immutable; every function is safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace mtp::auth {

struct GeneratedApiKey {
  std::string key;     // shown to the admin once
  std::string prefix;  // 4 characters after `mtp_`, shown in lists to recognise the key
};

inline constexpr std::string_view kApiKeyPrefix = "mtp_";

// A new random key and its display prefix.
GeneratedApiKey generateApiKey();

// True if `key` has the shape of one of ours (cheap check before any lookup).
bool looksLikeApiKey(std::string_view key);

// The 4-character display prefix of `key` (empty when it does not look like a key).
std::string apiKeyDisplayPrefix(std::string_view key);

class ApiKeyHasher {
 public:
  // REQUIRES: pepper.size() >= 16 (e.g. derived from the server key file).
  explicit ApiKeyHasher(std::string pepper);

  // 64 lowercase hex characters: keyed BLAKE2b-256 of `key`.
  std::string hash(std::string_view key) const;

  // True if hash(key) equals `stored_hex`, compared in constant time.
  bool verify(std::string_view key, std::string_view stored_hex) const;

 private:
  std::string pepper_;
};

}  // namespace mtp::auth
