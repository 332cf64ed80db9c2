// The browser's session: the web UI never sees a token. At the transport edge, before the
// pipeline and after it (http/server.cc), this turns an HttpOnly cookie into the bearer
// credential the pipeline already knows, and a token answer into that cookie.
//
// Cookies (HttpOnly, SameSite=Strict, Path=/api/, Secure with --cookie-secure):
//   mtp_session   the admin's session (sign-in, TOTP confirmation, password change)
//   mtp_launch    the org-scoped launch session of the org console (POST .../launch); requests
//                 of the org console select it with `X-MTP-Console: org`
// Rules:
// - POST /api/v2/auth/login with `X-MTP-Session: cookie` answers the session in mtp_session
//   and drops `token` from the body (the rest of the answer stays: scope, mfa, admin).
// - A request to /api/ with neither Authorization nor x-api-key and a session cookie is
//   authenticated by that cookie. Such a request that changes state (any method other than
//   GET, HEAD, OPTIONS) must carry `X-Requested-With: mtp`, a header no cross-site form can
//   send; without it the answer is 403 permission_denied and nothing runs.
// - Any 2xx answer to a cookie request whose body is a session (`token` + `tokenType`) moves
//   the token into the cookie: the launch's into mtp_launch, every other into mtp_session.
// - POST /api/v2/auth/logout by cookie clears that cookie whatever the answer.
// Bearer tokens and x-api-key are untouched: scripts keep working as before.
// Thread-safety: pure functions over per-request values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request_context.h"

namespace mtp::http {

inline constexpr std::string_view kSessionCookie = "mtp_session";
inline constexpr std::string_view kLaunchCookie = "mtp_launch";

struct BrowserSessionOptions {
  bool cookie_secure = false;  // add `Secure` (the UI is served over TLS by a proxy)
};

// What prepare() learned, for finish().
struct BrowserRequest {
  bool cookie_mode = false;    // the answer's session goes into a cookie
  std::string cookie_used;     // the cookie that authenticated the request, if any
  std::string_view target;     // the cookie a session answer is written to
};

using CookieList = std::vector<std::pair<std::string, std::string>>;

// Before the pipeline: may add `authorization: Bearer <cookie>` to `in`, or answer the CSRF
// refusal (then the pipeline is not called).
std::optional<Response> prepareBrowserRequest(IncomingRequest& in, const CookieList& cookies,
                                              BrowserRequest& state);

// After the pipeline: moves a session into its cookie, clears it on logout.
void finishBrowserResponse(const IncomingRequest& in, const BrowserRequest& state, Response& resp,
                           const BrowserSessionOptions& options);

}  // namespace mtp::http
