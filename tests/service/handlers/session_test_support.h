// Helpers of the session tests: sign in over HTTP, enroll TOTP straight in the store, real
// codes at the fixture's clock, the login events of a provider.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/one_time_token.h"
#include "auth/random.h"
#include "auth/totp.h"
#include "service_fixture.h"

namespace mtp::testing {

using nlohmann::json;

inline constexpr const char* kPassword = "correct horse battery staple";
inline constexpr const char* kOtherPassword = "another long passphrase 42";

class SessionTest : public ServiceTest {
 protected:
  HttpResponse login(const std::string& email, const std::string& password,
                     std::optional<std::string> totp = std::nullopt) {
    json b = {{"email", email}, {"password", password}};
    if (totp) b["totp"] = *totp;
    return call("POST", "/api/v2/auth/login", "", b.dump());
  }

  // A confirmed TOTP enrollment; returns the secret.
  std::string enrollTotp(const std::string& provider, const std::string& admin) {
    const std::string secret = auth::totp::generateSecret();
    const model::TenantScope scope{provider};
    auto r = app().store().transact([&](store::Tx& tx) -> Result<void> {
      if (auto s = tx.setTotpSecret(scope, admin, secret); !s) return s;
      return tx.setTotpEnrolled(scope, admin, true);
    });
    EXPECT_TRUE(r.has_value());
    return secret;
  }

  std::string code(const std::string& secret) { return auth::totp::codeAt(secret, now()); }

  // A well-formed code that is valid for no step of the drift window.
  std::string wrongCode(const std::string& secret) {
    std::vector<std::string> near;
    for (int d = -2; d <= 2; ++d) near.push_back(auth::totp::codeAt(secret, now() + 30 * d));
    for (int i = 0;; ++i) {
      std::string c = std::to_string(100000 + (i * 7919) % 900000);
      if (std::find(near.begin(), near.end(), c) == near.end()) return c;
    }
  }

  // A one-time token of `kind` for `admin`, as the admin routes would mail it.
  std::string makeLinkToken(const std::string& provider, const std::string& admin,
                            model::TokenKind kind, std::int64_t ttl = 3600) {
    auto t = app::newOneTimeToken();
    model::TokenRecord rec;
    rec.token_hash = t.hash;
    rec.provider_id = provider;
    rec.admin_id = admin;
    rec.kind = kind;
    rec.created = now();
    rec.expires_at = now() + ttl;
    auto r = app().store().transact([&](store::Tx& tx) { return tx.createToken(model::TenantScope{provider}, rec); });
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return t.token;
  }

  std::vector<model::ActivityRecord> loginEvents(const std::string& provider) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(provider))
      if (e.event_type == "admin_login_attempt") out.push_back(std::move(e));
    return out;
  }

  std::size_t countEvents(const std::string& provider, const std::string& type) {
    auto all = activity(provider);
    return static_cast<std::size_t>(
        std::count_if(all.begin(), all.end(), [&](const auto& e) { return e.event_type == type; }));
  }

  // The status and body of an error answer without its request id.
  static std::pair<int, json> withoutRequestId(const HttpResponse& r) {
    json j = body(r);
    if (j.contains("error")) j["error"].erase("requestId");
    return {r.status, j};
  }

  void setStatus(const std::string& provider, const std::string& admin, model::AdminStatus status) {
    const model::TenantScope scope{provider};
    auto r = app().store().transact([&](store::Tx& tx) -> Result<void> {
      auto a = tx.getAdmin(scope, admin);
      if (!a) return fail(a.error());
      a->status = status;
      if (auto u = tx.updateAdmin(scope, *a); !u) return u;
      if (status != model::AdminStatus::kActive) {
        auto n = tx.revokeAdminSessions(scope, admin, now());
        if (!n) return fail(n.error());
      }
      return {};
    });
    ASSERT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    refresh();
  }

  model::AdminRecord readAdmin(const std::string& provider, const std::string& admin) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getAdmin(model::TenantScope{provider}, admin); });
    EXPECT_TRUE(r.has_value());
    return r.value_or(model::AdminRecord{});
  }
};

}  // namespace mtp::testing
