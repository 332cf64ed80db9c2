// SHA-256 of bytes (libsodium), for fingerprints that must not collide by accident or on
// purpose (an Idempotency-Key's scope and its request body). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mtp::auth {

// 64 lowercase hex characters.
std::string sha256Hex(std::string_view bytes);

}  // namespace mtp::auth
