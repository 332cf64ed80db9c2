#include "auth/digest.h"

#include <sodium.h>

#include "auth/random.h"

namespace mtp::auth {

std::string sha256Hex(std::string_view bytes) {
  ensureSodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return toHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

}  // namespace mtp::auth
