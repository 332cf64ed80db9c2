#include "auth/secret_box.h"

#include <sodium.h>

#include "auth/random.h"
#include "auth/tokens.h"

namespace mtp::auth {

namespace {

constexpr std::string_view kVersion = "v1";

std::string keyIdOf(const std::string& key) { return SigningKey::fromBytes(key).kid; }

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

// The keyid of a sealed value, or empty when it is not `v1:<keyid>:<payload>`.
std::pair<std::string_view, std::string_view> split(std::string_view sealed) {
  if (!sealed.starts_with(kVersion) || sealed.size() <= kVersion.size() || sealed[kVersion.size()] != ':') return {};
  sealed.remove_prefix(kVersion.size() + 1);
  const auto colon = sealed.find(':');
  if (colon == std::string_view::npos || colon == 0) return {};
  return {sealed.substr(0, colon), sealed.substr(colon + 1)};
}

}  // namespace

SecretBox::SecretBox(std::string key, std::optional<std::string> previous_key) {
  ensureSodium();
  key_ = key.substr(0, crypto_secretbox_KEYBYTES);
  key_id_ = keyIdOf(key_);
  if (previous_key) {
    old_key_ = previous_key->substr(0, crypto_secretbox_KEYBYTES);
    old_key_id_ = keyIdOf(*old_key_);
  }
}

std::expected<SecretBox, std::string> SecretBox::fromKeyFiles(const std::filesystem::path& current,
                                                              const std::filesystem::path& previous) {
  auto key = loadOrCreateKeyFile(current);
  if (!key) return std::unexpected("secrets key: " + key.error());
  if (previous.empty()) return SecretBox(key->bytes);
  std::error_code ec;
  if (!std::filesystem::exists(previous, ec)) {
    return std::unexpected("previous secrets key " + previous.string() + " does not exist");
  }
  auto old = loadOrCreateKeyFile(previous);
  if (!old) return std::unexpected("previous secrets key: " + old.error());
  return SecretBox(key->bytes, old->bytes);
}

std::string SecretBox::seal(std::string_view plain) const {
  std::string buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(buf.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  return std::string(kVersion) + ":" + key_id_ + ":" + base64(buf);
}

std::expected<std::string, std::string> SecretBox::open(std::string_view sealed) const {
  const auto [kid, payload] = split(sealed);
  if (kid.empty()) return std::unexpected("not a sealed secret");
  const std::string* key = nullptr;
  if (kid == key_id_) key = &key_;
  else if (old_key_ && kid == old_key_id_) key = &*old_key_;
  if (key == nullptr) return std::unexpected("sealed under an unknown key " + std::string(kid));
  auto bytes = unbase64(payload);
  if (!bytes || bytes->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::unexpected("malformed sealed secret");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(bytes->data());
  const std::size_t clen = bytes->size() - crypto_secretbox_NONCEBYTES;
  std::string plain(clen - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                 clen, nonce, reinterpret_cast<const unsigned char*>(key->data())) != 0) {
    return std::unexpected("sealed secret fails authentication (altered, or another key)");
  }
  return plain;
}

bool SecretBox::needsResealing(std::string_view sealed) const {
  const auto [kid, payload] = split(sealed);
  return old_key_ && kid == old_key_id_ && kid != key_id_;
}

}  // namespace mtp::auth
