#include "http/browser_session.h"

#include <nlohmann/json.hpp>

#include "auth/random.h"
#include "http/pipeline.h"

namespace mtp::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<std::string_view> header(const IncomingRequest& in, std::string_view name) {
  for (const auto& [k, v] : in.headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> cookie(const CookieList& cookies, std::string_view name) {
  for (const auto& [k, v] : cookies) {
    if (k == name && !v.empty()) return std::string_view(v);
  }
  return std::nullopt;
}

bool changesState(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool isLaunch(const IncomingRequest& in) {
  return in.method == "POST" && in.path.starts_with("/api/v2/providers/") && in.path.ends_with("/launch");
}

// A JWT is base64url and dots only; anything else in a cookie value is refused outright.
bool tokenShaped(std::string_view v) {
  if (v.empty() || v.size() > 4096) return false;
  for (char c : v) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string setCookie(std::string_view name, std::string_view value, long long max_age,
                      const BrowserSessionOptions& o) {
  std::string s(name);
  s += "=";
  s += value;
  s += "; Path=/api/; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Strict";
  if (o.cookie_secure) s += "; Secure";
  return s;
}

}  // namespace

std::optional<Response> prepareBrowserRequest(IncomingRequest& in, const CookieList& cookies,
                                              BrowserRequest& state) {
  if (!in.path.starts_with("/api/")) return std::nullopt;
  // Scripts: an explicit credential wins and no cookie is looked at.
  if (header(in, "authorization") || header(in, "x-api-key")) return std::nullopt;

  const bool org_console = header(in, "x-mtp-console").value_or("") == "org";
  const std::string_view name = org_console ? kLaunchCookie : kSessionCookie;
  state.target = isLaunch(in) ? kLaunchCookie : name;

  if (in.method == "POST" && in.path == "/api/v2/auth/login") {
    // Opting in needs a header a cross-site form cannot send either.
    state.cookie_mode = header(in, "x-mtp-session").value_or("") == "cookie";
    state.target = kSessionCookie;
    return std::nullopt;
  }
  auto value = cookie(cookies, name);
  if (!value || !tokenShaped(*value)) return std::nullopt;  // unauthenticated: the pipeline says 401
  if (changesState(in.method) && header(in, "x-requested-with").value_or("") != "mtp") {
    const std::string rid = auth::newId();
    Status e{Status::Code::kPermissionDenied,
            "a request authenticated by the session cookie that changes state must send X-Requested-With: mtp"};
    Response r = errorResponse(e, rid);
    addSecurityHeaders(r, rid);
    return r;
  }
  state.cookie_mode = true;
  state.cookie_used = std::string(name);
  in.headers.emplace_back("authorization", "Bearer " + std::string(*value));
  return std::nullopt;
}

void finishBrowserResponse(const IncomingRequest& in, const BrowserRequest& state, Response& resp,
                           const BrowserSessionOptions& options) {
  if (!state.cookie_mode) return;
  if (!state.cookie_used.empty() && in.method == "POST" && in.path == "/api/v2/auth/logout") {
    resp.headers.emplace_back("Set-Cookie", setCookie(state.cookie_used, "", 0, options));
    return;
  }
  if (resp.status < 200 || resp.status > 299 || resp.body.empty() || resp.body.front() != '{') return;
  auto j = nlohmann::json::parse(resp.body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("token") || !j["token"].is_string() ||
      !j.contains("tokenType"))
    return;
  const std::string token = j["token"].get<std::string>();
  long long max_age = 3600;
  if (j.contains("expiresIn") && j["expiresIn"].is_number_integer()) max_age = j["expiresIn"].get<long long>();
  j.erase("token");
  j["session"] = "cookie";  // tells the UI where its session went
  resp.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  resp.headers.emplace_back("Set-Cookie", setCookie(state.target, token, max_age, options));
}

}  // namespace mtp::http
