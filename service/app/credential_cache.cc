#include "app/credential_cache.h"

#include <utility>

namespace mtp::app {

CredentialCache::CredentialCache(std::size_t capacity, std::chrono::seconds max_age)
    : capacity_(capacity == 0 ? 1 : capacity), max_age_(max_age) {}

std::uint64_t CredentialCache::generation() const {
  std::shared_lock lock(mu_);
  return generation_;
}

bool CredentialCache::admit(std::uint64_t generation) const {
  return enabled_ && generation == generation_;
}

std::optional<CredentialCache::Session> CredentialCache::session(std::string_view token,
                                                                 std::int64_t now) const {
  std::shared_lock lock(mu_);
  if (!enabled_) return std::nullopt;
  auto it = sessions_.find(std::string(token));
  if (it == sessions_.end() || !fresh(it->second.at)) return std::nullopt;
  const Session& s = it->second.value;
  if (s.claims.exp <= now || s.session.expires_at <= now || s.session.revoked_at) return std::nullopt;
  return s;
}

void CredentialCache::putSession(std::string_view token, Session s, std::uint64_t generation) {
  std::unique_lock lock(mu_);
  if (!admit(generation)) return;
  if (sessions_.size() >= capacity_) sessions_.clear();
  sessions_.insert_or_assign(std::string(token), Entry<Session>{std::move(s), Clock::now()});
}

std::optional<CredentialCache::ApiKeyOwner> CredentialCache::apiKey(const std::string& key_hash) const {
  std::shared_lock lock(mu_);
  if (!enabled_) return std::nullopt;
  auto it = api_keys_.find(key_hash);
  if (it == api_keys_.end() || !fresh(it->second.at)) return std::nullopt;
  return it->second.value;
}

void CredentialCache::putApiKey(const std::string& key_hash, ApiKeyOwner owner,
                                std::uint64_t generation) {
  std::unique_lock lock(mu_);
  if (!admit(generation)) return;
  if (api_keys_.size() >= capacity_) api_keys_.clear();
  api_keys_.insert_or_assign(key_hash, Entry<ApiKeyOwner>{std::move(owner), Clock::now()});
}

void CredentialCache::forgetSession(const std::string& jti) {
  std::unique_lock lock(mu_);
  ++generation_;
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.value.session.jti == jti; });
}

void CredentialCache::forgetApiKeysOf(const std::string& admin_id) {
  std::unique_lock lock(mu_);
  ++generation_;
  std::erase_if(api_keys_, [&](const auto& kv) { return kv.second.value.admin_id == admin_id; });
}

void CredentialCache::forgetAdmin(const std::string& admin_id) {
  std::unique_lock lock(mu_);
  ++generation_;
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.value.session.admin_id == admin_id; });
  std::erase_if(api_keys_, [&](const auto& kv) { return kv.second.value.admin_id == admin_id; });
}

void CredentialCache::enable() {
  std::unique_lock lock(mu_);
  enabled_ = true;
}

void CredentialCache::disable() {
  std::unique_lock lock(mu_);
  enabled_ = false;
  ++generation_;
  sessions_.clear();
  api_keys_.clear();
}

bool CredentialCache::enabled() const {
  std::shared_lock lock(mu_);
  return enabled_;
}

}  // namespace mtp::app
