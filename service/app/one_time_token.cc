#include "app/one_time_token.h"

#include <sodium.h>

#include "auth/random.h"

namespace mtp::app {

OneTimeToken newOneTimeToken() {
  OneTimeToken t;
  t.token = auth::randomHex(32);
  t.hash = hashOneTimeToken(t.token);
  return t;
}

std::string hashOneTimeToken(std::string_view token) {
  auth::ensureSodium();
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return auth::toHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

}  // namespace mtp::app
