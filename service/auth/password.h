// Password hashing with argon2id (libsodium crypto_pwhash_str, INTERACTIVE limits), on a
// small worker pool of its own behind a bounded queue (auth/hash_pool.h), and the password
// policy.
//
// Each hash costs about 100 ms of CPU and 64 MiB of memory: a login burst must not run them
// all at once, nor on every HTTP request thread. At most `max_in_flight` hashes run together,
// on the pool's workers; at most `queue` more wait. A caller whose hash cannot be queued, or
// is not started within `wait`, gets PasswordStatus::kBusy at once (the HTTP layer answers
// 503 unavailable with Retry-After) instead of queueing without bound.
//
// Unknown emails: call verifyDummy(), which verifies against a fixed hash of the same cost,
// so "no such admin" and "wrong password" take the same time.
//
// Thread-safety: every method is safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/hash_pool.h"

namespace mtp::auth {

enum class PasswordStatus {
  kOk,        // the password matches
  kMismatch,  // it does not (or the stored hash is not an argon2 hash)
  kBusy,      // too many hashes in flight; try again later
  kError,     // out of memory inside libsodium
};
std::string_view passwordStatusName(PasswordStatus s);

// The password policy: 12 to 128 characters (Unicode code points of valid UTF-8), no
// control characters, not a single repeated character. Returns a message for the user
// ("password must be at least 12 characters") or nullopt when the password is acceptable.
std::optional<std::string> checkPasswordPolicy(std::string_view password);

class PasswordHasher {
 public:
  static constexpr std::size_t kMaxPasswordBytes = 4096;  // longer input is refused at once

  // max_in_flight 0 means the hardware threads (at least 2); queue 0 means 4 × max_in_flight.
  explicit PasswordHasher(std::size_t max_in_flight = 0,
                          std::chrono::milliseconds wait = std::chrono::seconds(1), std::size_t queue = 0);

  // The `$argon2id$...` string to store, or kBusy / kError.
  std::expected<std::string, PasswordStatus> hash(std::string_view password);

  // Verifies `password` against a stored `$argon2id$...` string in constant time.
  PasswordStatus verify(std::string_view stored_hash, std::string_view password);

  // For an unknown account: the same work as verify(), always kMismatch (or kBusy).
  PasswordStatus verifyDummy(std::string_view password);

  // True if `stored_hash` was made with weaker limits than today's and should be rehashed
  // after a successful login.
  static bool needsRehash(std::string_view stored_hash);


  // At most `n` callers at once inside hash/verify/verifyDummy (0: no bound, the default); one
  // more gets kBusy at once. mtpd sets it below its HTTP thread count, so that callers waiting
  // on the pool never hold every request thread: a sign-in flood then answers 503 quickly
  // instead of starving every other request (bench/README.md, "A login flood"). Set it before
  // the hasher is shared.
  void limitCallers(std::size_t n) { max_callers_ = n; }

 private:
  class Admission;  // counts a caller in; false when max_callers_ are in already
  PasswordStatus verifyDummyAdmitted(std::string_view password);

  const std::size_t max_in_flight_;
  std::size_t max_callers_ = 0;
  std::atomic<std::size_t> callers_{0};
  std::string dummy_hash_;
  std::unique_ptr<HashPool> pool_;
};

}  // namespace mtp::auth
