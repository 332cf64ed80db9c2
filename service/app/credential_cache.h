// What the authenticator keeps between requests (issue 16 item 4): a bearer token's verified
// claims with its session row, and an API key's owner, so that an authorized read needs neither
// a JWT verification nor a store read for its credential.
//
// Revocation still takes effect everywhere within the change feed's delay: the cache is used
// only while this replica's change listener is in step with the feed (enable()), it forgets a
// session on `session:<jti>` and an admin's keys on `api_key:<admin>`, and everything on a gap
// (disable()). A read that raced with a revocation is not kept: put*() takes the generation
// read before the store read and drops the entry when anything was forgotten since. Entries
// also expire after `max_age`, and the session's own expiry is checked on every hit.
//
// Thread-safety: every method from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/tokens.h"
#include "model/records.h"

namespace mtp::app {

class CredentialCache {
 public:
  struct Session {
    auth::TokenClaims claims;
    model::SessionRecord session;
  };
  struct ApiKeyOwner {
    std::string admin_id;
    std::string provider_id;
  };

  explicit CredentialCache(std::size_t capacity = 20000,
                           std::chrono::seconds max_age = std::chrono::seconds(60));

  // Read before the store read whose result is then put().
  std::uint64_t generation() const;

  // A hit only when enabled, fresh, and the session not expired at `now`.
  std::optional<Session> session(std::string_view token, std::int64_t now) const;
  void putSession(std::string_view token, Session s, std::uint64_t generation);

  // `key_hash`: the key's keyed hash (auth::ApiKeyHasher::hash), never the key.
  std::optional<ApiKeyOwner> apiKey(const std::string& key_hash) const;
  void putApiKey(const std::string& key_hash, ApiKeyOwner owner, std::uint64_t generation);

  void forgetSession(const std::string& jti);
  void forgetApiKeysOf(const std::string& admin_id);
  // Every session and key of the admin: called by this replica's own revocations right after
  // their commit, so that its next request never hides them (others hear the change feed).
  void forgetAdmin(const std::string& admin_id);
  void enable();
  void disable();  // and forget everything
  bool enabled() const;

 private:
  using Clock = std::chrono::steady_clock;
  template <class V>
  struct Entry {
    V value;
    Clock::time_point at;
  };
  bool fresh(Clock::time_point at) const { return Clock::now() - at < max_age_; }
  bool admit(std::uint64_t generation) const;  // REQUIRES: mu_ held exclusively

  const std::size_t capacity_;
  const std::chrono::seconds max_age_;
  mutable std::shared_mutex mu_;
  bool enabled_ = false;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry<Session>> sessions_;     // by token
  std::unordered_map<std::string, Entry<ApiKeyOwner>> api_keys_;  // by key hash
};

}  // namespace mtp::app
