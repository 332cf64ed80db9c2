// The Authenticator of mtpd: a bearer token must be one of our JWTs (signature, algorithm,
// issuer, audience, expiry) AND name a live session in the store (not revoked, not expired:
// logout and suspension take effect at once); an API key must match an unrevoked key's hash.
// The admin's status, role and grants are the engine's business, not this class's.
#pragma once

#include <memory>

#include "app/app_context.h"
#include "http/principal.h"

namespace mtp::handlers {

std::shared_ptr<http::Authenticator> makeAuthenticator(app::AppContext& app);

}  // namespace mtp::handlers
