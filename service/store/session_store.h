// Sessions, API keys and one-time tokens: one aggregate of the store (soci_sessions.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // --- sessions
  virtual Result<void> createSession(const TenantScope& scope, const SessionRecord& record) = 0;
  virtual Result<SessionRecord> getSession(const TenantScope& scope, const std::string& jti) = 0;
  virtual Result<void> revokeSession(const TenantScope& scope, const std::string& jti,
                                     UnixTime at) = 0;
  // Returns how many sessions were revoked.
  virtual Result<std::int64_t> revokeAdminSessions(const TenantScope& scope,
                                                   const std::string& admin_id, UnixTime at) = 0;

  // --- API keys: a new key revokes the admin's older keys in the same transaction.
  virtual Result<std::string> replaceApiKey(const TenantScope& scope, const std::string& admin_id,
                                            const std::string& prefix,
                                            const std::string& key_hash) = 0;
  virtual Result<void> revokeApiKeys(const TenantScope& scope, const std::string& admin_id) = 0;

  // --- activation / reset tokens
  virtual Result<void> createToken(const TenantScope& scope, const TokenRecord& record) = 0;

  // --- before a tenant is known, or over every provider (named for what they are)
  virtual Result<SessionRecord> findSession(const std::string& jti) = 0;
  // Unrevoked keys with this prefix, any provider: the caller checks each hash.
  virtual Result<std::vector<ApiKeyRecord>> findApiKeys(const std::string& prefix) = 0;
  // Marks an unused, unexpired token used and returns it; kNotFound otherwise.
  virtual Result<TokenRecord> consumeToken(const std::string& token_hash, TokenKind kind,
                                           UnixTime now) = 0;
  virtual Result<std::int64_t> deleteExpiredSessions(UnixTime now) = 0;
};

}  // namespace mtp::store
