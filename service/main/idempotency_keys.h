// http::IdempotencyKeys on the store (issue 11 item 2; the policy is http/idempotency.h's).
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "http/idempotency.h"
#include "store/store.h"

namespace mtp::service {

class StoreIdempotencyKeys final : public http::IdempotencyKeys {
 public:
  // `lease`: how long a reservation may stay unfinished before a retry may take it over
  // (or learn that the first request wrote: 409); `keep`: how long an answer is kept.
  StoreIdempotencyKeys(store::Store& store, std::function<std::int64_t()> clock,
                       std::chrono::seconds lease = std::chrono::seconds(60),
                       std::chrono::seconds keep = std::chrono::hours(24));

  Begin begin(const std::string& key_hash, const std::string& request_hash) override;
  void runMarked(const std::string& key_hash, const std::function<void()>& fn) override;
  void finish(const std::string& key_hash, const http::StoredAnswer* answer) override;
  void forget(const std::string& key_hash) override;

 private:
  void purgeNowAndThen(std::int64_t now);

  store::Store& store_;
  std::function<std::int64_t()> clock_;
  std::int64_t lease_;
  std::int64_t keep_;
  std::atomic<std::int64_t> next_purge_{0};
};

}  // namespace mtp::service
