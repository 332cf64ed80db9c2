#include "app/authentication.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "auth/api_key.h"
#include "store/store.h"

namespace mtp::app {
namespace {

CredentialOwner fromSession(const model::SessionRecord& session) {
  CredentialOwner o;
  o.admin_id = session.admin_id;
  o.provider_id = session.provider_id;
  o.auth_method = engine::AuthMethod::kSession;
  o.mfa = session.mfa;
  o.scope = session.kind == model::SessionKind::kMfaEnroll   ? auth::TokenScope::kMfaEnroll
            : session.kind == model::SessionKind::kOrgLaunch ? auth::TokenScope::kOrg
                                                             : auth::TokenScope::kFull;
  o.org = session.org_id;
  o.jti = session.jti;
  return o;
}

CredentialOwner fromKeyOwner(std::string admin_id, std::string provider_id) {
  CredentialOwner o;
  o.admin_id = std::move(admin_id);
  o.provider_id = std::move(provider_id);
  o.auth_method = engine::AuthMethod::kApiKey;
  o.mfa = false;
  o.scope = auth::TokenScope::kFull;
  return o;
}

}  // namespace

Result<CredentialOwner> Authentication::bearer(std::string_view token) {
  const auto now = app_.now();
  auto& cache = app_.credentials();
  if (auto hit = cache.session(token, now)) return fromSession(hit->session);
  const auto generation = cache.generation();
  auto claims = app_.tokens().verify(token, now);
  if (!claims) {
    spdlog::info("bearer token refused: {}", auth::tokenErrorName(claims.error()));
    return fail(Status::unauthenticated("invalid or expired token"));
  }
  auto session = app_.store().query([&](store::Tx& tx) { return tx.findSession(claims->jti); });
  if (!session) {
    if (session.error().isUnavailable()) return fail(Status::unavailable(2));
    return fail(Status::unauthenticated("invalid or expired token"));
  }
  if (session->revoked_at || session->expires_at <= now || session->admin_id != claims->admin_id ||
      session->provider_id != claims->provider_id)
    return fail(Status::unauthenticated("invalid or expired token"));
  CredentialOwner owner = fromSession(*session);
  cache.putSession(token, CredentialCache::Session{std::move(*claims), std::move(*session)}, generation);
  return owner;
}

Result<CredentialOwner> Authentication::apiKey(std::string_view key) {
  if (!auth::looksLikeApiKey(key)) return fail(Status::unauthenticated("invalid API key"));
  auto& cache = app_.credentials();
  const std::string key_hash = app_.apiKeys().hash(key);
  if (auto hit = cache.apiKey(key_hash)) return fromKeyOwner(hit->admin_id, hit->provider_id);
  const auto generation = cache.generation();
  const std::string prefix = auth::apiKeyDisplayPrefix(key);
  auto keys = app_.store().query([&](store::Tx& tx) { return tx.findApiKeys(prefix); });
  if (!keys) {
    if (keys.error().isUnavailable()) return fail(Status::unavailable(2));
    return fail(Status::unauthenticated("invalid API key"));
  }
  for (const auto& k : *keys) {
    if (k.revoked_at || !app_.apiKeys().verify(key, k.key_hash)) continue;
    cache.putApiKey(key_hash, CredentialCache::ApiKeyOwner{k.admin_id, k.provider_id}, generation);
    return fromKeyOwner(k.admin_id, k.provider_id);
  }
  return fail(Status::unauthenticated("invalid API key"));
}

}  // namespace mtp::app
