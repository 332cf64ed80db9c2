#include "auth/random.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace mtp::auth {

void ensureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      std::fputs("mtp: libsodium failed to initialise\n", stderr);
      std::abort();
    }
  });
}

std::string randomBytes(std::size_t n) {
  ensureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string toHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::string randomHex(std::size_t n_bytes) { return toHex(randomBytes(n_bytes)); }

std::string newId() { return randomHex(12); }

}  // namespace mtp::auth
