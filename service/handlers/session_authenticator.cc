#include "handlers/session_authenticator.h"

#include <utility>

#include "app/authentication.h"
#include "http/errors.h"

namespace mtp::handlers {
namespace {

class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(app::AppContext& app) : authentication_(app) {}

  std::expected<http::Principal, Status> authenticate(const http::Credentials& c) override {
    if (!c.bearer.empty() && !c.api_key.empty())
      return std::unexpected(Status::unauthenticated("send either a bearer token or an API key"));
    if (c.bearer.empty() && c.api_key.empty()) return std::unexpected(Status::unauthenticated());
    auto owner = !c.bearer.empty() ? authentication_.bearer(c.bearer) : authentication_.apiKey(c.api_key);
    if (!owner) return fail(owner.error());
    http::Principal p;
    p.admin_id = std::move(owner->admin_id);
    p.provider_id = std::move(owner->provider_id);
    p.auth_method = owner->auth_method;
    p.mfa = owner->mfa;
    p.scope = owner->scope;
    p.org = std::move(owner->org);
    p.jti = std::move(owner->jti);
    return p;
  }

 private:
  app::Authentication authentication_;
};

}  // namespace

std::shared_ptr<http::Authenticator> makeAuthenticator(app::AppContext& app) {
  return std::make_shared<SessionAuthenticator>(app);
}

}  // namespace mtp::handlers
