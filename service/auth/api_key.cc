#include "auth/api_key.h"

#include <sodium.h>

#include <stdexcept>

#include "auth/random.h"

namespace mtp::auth {

namespace {
constexpr std::size_t kKeyHexChars = 40;
}

GeneratedApiKey generateApiKey() {
  GeneratedApiKey g;
  g.key = std::string(kApiKeyPrefix) + randomHex(kKeyHexChars / 2);
  g.prefix = apiKeyDisplayPrefix(g.key);
  return g;
}

bool looksLikeApiKey(std::string_view key) {
  if (key.size() != kApiKeyPrefix.size() + kKeyHexChars || !key.starts_with(kApiKeyPrefix)) {
    return false;
  }
  for (char c : key.substr(kApiKeyPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string apiKeyDisplayPrefix(std::string_view key) {
  if (!looksLikeApiKey(key)) return {};
  return std::string(key.substr(kApiKeyPrefix.size(), 4));
}

ApiKeyHasher::ApiKeyHasher(std::string pepper) : pepper_(std::move(pepper)) {
  ensureSodium();
  if (pepper_.size() < 16) throw std::invalid_argument("api key pepper must be at least 16 bytes");
  if (pepper_.size() > crypto_generichash_KEYBYTES_MAX) pepper_.resize(crypto_generichash_KEYBYTES_MAX);
}

std::string ApiKeyHasher::hash(std::string_view key) const {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     reinterpret_cast<const unsigned char*>(pepper_.data()), pepper_.size());
  return toHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

bool ApiKeyHasher::verify(std::string_view key, std::string_view stored_hex) const {
  std::string h = hash(key);
  if (stored_hex.size() != h.size()) return false;
  return sodium_memcmp(h.data(), stored_hex.data(), h.size()) == 0;
}

}  // namespace mtp::auth
