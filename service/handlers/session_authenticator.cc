#include "handlers/session_authenticator.h"

#include <spdlog/spdlog.h>

#include "auth/api_key.h"

namespace mtp::handlers {
namespace {

class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(app::AppContext& app) : app_(app) {}

  std::expected<http::Principal, http::Error> authenticate(const http::Credentials& c) override {
    if (!c.bearer.empty() && !c.api_key.empty())
      return std::unexpected(http::Error::unauthenticated("send either a bearer token or an API key"));
    if (!c.bearer.empty()) return fromBearer(c.bearer);
    if (!c.api_key.empty()) return fromApiKey(c.api_key);
    return std::unexpected(http::Error::unauthenticated());
  }

 private:
  template <class SessionRow>  // the store's session row
  static http::Principal fromSession(const SessionRow& session) {
    http::Principal p;
    p.admin_id = session.admin_id;
    p.provider_id = session.provider_id;
    p.auth_method = engine::AuthMethod::kSession;
    p.mfa = session.mfa;
    p.scope = session.kind == store::SessionKind::kMfaEnroll ? auth::TokenScope::kMfaEnroll
              : session.kind == store::SessionKind::kOrgLaunch ? auth::TokenScope::kOrg
                                                               : auth::TokenScope::kFull;
    p.org = session.org_id;
    p.jti = session.jti;
    return p;
  }

  std::expected<http::Principal, http::Error> fromBearer(std::string_view token) {
    const auto now = app_.now();
    auto& cache = app_.credentials();
    if (auto hit = cache.session(token, now)) return fromSession(hit->session);
    const auto generation = cache.generation();
    auto claims = app_.tokens().verify(token, now);
    if (!claims) {
      spdlog::info("bearer token refused: {}", auth::tokenErrorName(claims.error()));
      return std::unexpected(http::Error::unauthenticated("invalid or expired token"));
    }
    auto session = app_.store().query([&](store::Tx& tx) { return tx.findSession(claims->jti); });
    if (!session) {
      if (session.error().isUnavailable()) return std::unexpected(http::Error::unavailable(2));
      return std::unexpected(http::Error::unauthenticated("invalid or expired token"));
    }
    if (session->revoked_at || session->expires_at <= now || session->admin_id != claims->admin_id ||
        session->provider_id != claims->provider_id)
      return std::unexpected(http::Error::unauthenticated("invalid or expired token"));
    http::Principal p = fromSession(*session);
    cache.putSession(token, app::CredentialCache::Session{std::move(*claims), std::move(*session)},
                     generation);
    return p;
  }

  static http::Principal fromKeyOwner(std::string admin_id, std::string provider_id) {
    http::Principal p;
    p.admin_id = std::move(admin_id);
    p.provider_id = std::move(provider_id);
    p.auth_method = engine::AuthMethod::kApiKey;
    p.mfa = false;
    p.scope = auth::TokenScope::kFull;
    return p;
  }

  std::expected<http::Principal, http::Error> fromApiKey(std::string_view key) {
    if (!auth::looksLikeApiKey(key)) return std::unexpected(http::Error::unauthenticated("invalid API key"));
    auto& cache = app_.credentials();
    const std::string key_hash = app_.apiKeys().hash(key);
    if (auto hit = cache.apiKey(key_hash)) return fromKeyOwner(hit->admin_id, hit->provider_id);
    const auto generation = cache.generation();
    const std::string prefix = auth::apiKeyDisplayPrefix(key);
    auto keys = app_.store().query([&](store::Tx& tx) { return tx.findApiKeys(prefix); });
    if (!keys) {
      if (keys.error().isUnavailable()) return std::unexpected(http::Error::unavailable(2));
      return std::unexpected(http::Error::unauthenticated("invalid API key"));
    }
    for (const auto& k : *keys) {
      if (k.revoked_at || !app_.apiKeys().verify(key, k.key_hash)) continue;
      cache.putApiKey(key_hash, app::CredentialCache::ApiKeyOwner{k.admin_id, k.provider_id},
                      generation);
      return fromKeyOwner(k.admin_id, k.provider_id);
    }
    return std::unexpected(http::Error::unauthenticated("invalid API key"));
  }

  app::AppContext& app_;
};

}  // namespace

std::shared_ptr<http::Authenticator> makeAuthenticator(app::AppContext& app) {
  return std::make_shared<SessionAuthenticator>(app);
}

}  // namespace mtp::handlers
