// The authenticated caller as the use cases see it (app::Actor), from a request context.
#pragma once

#include "app/actor.h"
#include "http/request_context.h"

namespace mtp::handlers {

inline app::Actor actorOf(const http::RequestContext& ctx) {
  const http::Principal& p = ctx.principal();
  app::Actor a;
  a.admin_id = p.admin_id;
  a.provider_id = p.provider_id;
  a.auth_method = p.auth_method;
  a.mfa = p.mfa;
  a.client_ip = ctx.clientIp();
  a.session_jti = p.jti;
  return a;
}

}  // namespace mtp::handlers
