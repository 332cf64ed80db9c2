// Random identifiers and bytes from libsodium's CSPRNG.
// Thread-safety: every function is safe from any thread (libsodium is initialised once).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mtp::auth {

// Initialises libsodium once; every function of mtp_auth calls it. Aborts the process if
// libsodium cannot initialise (no entropy source): nothing secure can run without it.
void ensureSodium();

// `n` random bytes.
std::string randomBytes(std::size_t n);

// `n` random bytes as 2n lowercase hex characters.
std::string randomHex(std::size_t n_bytes);

// A new opaque id: 24 lowercase hex characters (96 random bits).
std::string newId();

// Lowercase hex of `bytes`.
std::string toHex(std::string_view bytes);

}  // namespace mtp::auth
