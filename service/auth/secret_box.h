// Secrets at rest (issue 12 item 1: PSA credentials; later TOTP secrets): authenticated
// encryption with libsodium's crypto_secretbox (XSalsa20-Poly1305), a fresh random nonce per
// value. A sealed value is text: `v1:<keyid>:<base64(nonce | ciphertext)>`, where keyid names
// the key (8 hex characters of a hash of it, as SigningKey::kid).
//
// Rotation: a SecretBox holds the current key and at most one previous key. seal() always
// uses the current key; open() picks the key by the value's keyid, so values sealed under the
// previous key still open, and a value re-sealed after opening moves to the current key.
//
// Thread-safety: immutable after construction; seal()/open() are safe from any thread.
#pragma once

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mtp::auth {

class SecretBox {
 public:
  // REQUIRES: keys of at least 32 bytes (only the first 32 are used).
  explicit SecretBox(std::string key, std::optional<std::string> previous_key = std::nullopt);

  // Loads (or creates, 0600, 32 random bytes) the current key file, and loads the previous
  // key file when `previous` is not empty (it must exist). Errors name the file and the fix.
  static std::expected<SecretBox, std::string> fromKeyFiles(const std::filesystem::path& current,
                                                            const std::filesystem::path& previous = {});

  // `plain` sealed under the current key.
  std::string seal(std::string_view plain) const;
  // The plain text of a sealed value. Error (without the value in it) when the format is
  // wrong, the key is unknown, or the value was altered or sealed under another key.
  std::expected<std::string, std::string> open(std::string_view sealed) const;
  // True when `sealed` is under the previous key (re-seal it to finish a rotation).
  bool needsResealing(std::string_view sealed) const;

  const std::string& keyId() const { return key_id_; }

 private:
  std::string key_, key_id_;
  std::optional<std::string> old_key_;
  std::string old_key_id_;
};

}  // namespace mtp::auth
