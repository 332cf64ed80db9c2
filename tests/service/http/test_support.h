// Test doubles for the HTTP layer: an Authenticator that maps fixed tokens to principals,
// and an engine (app::EngineView: the HTTP layer's tests have no directory) that counts
// calls, records the last request and answers a configurable decision.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "app/authorization.h"
#include "http/principal.h"
#include "http/request_context.h"

namespace mtp::http::testing {

class FakeAuthenticator : public Authenticator {
 public:
  std::expected<Principal, Status> authenticate(const Credentials& c) override {
    ++calls;
    std::lock_guard lock(mu_);
    const std::string key = !c.bearer.empty() ? "bearer:" + std::string(c.bearer)
                                              : "key:" + std::string(c.api_key);
    auto it = principals_.find(key);
    if (it == principals_.end()) return std::unexpected(Status::unauthenticated());
    return it->second;
  }
  void addBearer(const std::string& token, Principal p) {
    std::lock_guard lock(mu_);
    principals_["bearer:" + token] = std::move(p);
  }
  void addApiKey(const std::string& key, Principal p) {
    std::lock_guard lock(mu_);
    principals_["key:" + key] = std::move(p);
  }
  std::atomic<int> calls{0};

 private:
  std::mutex mu_;
  std::map<std::string, Principal> principals_;
};

// What the fake engine saw last (owned copies of the Request's views).
struct SeenRequest {
  std::string admin, organization, provider, action;
  engine::AuthMethod auth_method = engine::AuthMethod::kSession;
  bool mfa = false;
  bool has_ip = false;
  engine::IpAddress ip;
  engine::UnixTime time = 0;
  bool any_organization = false;
  engine::SessionScope session_scope = engine::SessionScope::kFull;
  std::string launch_org;
};

struct FakeEngine {
  std::atomic<int> calls{0};
  std::atomic<bool> allow{true};
  std::atomic<engine::Reason> deny_reason{engine::Reason::kRoleLacksAction};
  std::mutex mu;
  SeenRequest last;

  // One view per request, as the pipeline takes them.
  app::EngineSource fn() {
    return [this]() -> std::shared_ptr<const app::EngineView> { return std::make_shared<View>(this); };
  }

 private:
  struct View final : app::EngineView {
    explicit View(FakeEngine* e) : engine(e) {}
    FakeEngine* engine;
    engine::Decision authorize(const engine::Request& r) const noexcept override {
      return engine->decide(r);
    }
    const engine::Snapshot* snapshot() const noexcept override { return nullptr; }
  };

  engine::Decision decide(const engine::Request& r) {
    ++calls;
    {
      std::lock_guard lock(mu);
      last.admin = std::string(r.admin);
      last.organization = std::string(r.organization);
      last.provider = std::string(r.provider);
      last.action = r.action == engine::kNoAction ? "?" : std::string(engine::actionInfo(r.action).name);
      last.auth_method = r.auth_method;
      last.mfa = r.mfa;
      last.has_ip = r.client_ip.has_value();
      if (r.client_ip) last.ip = *r.client_ip;
      last.time = r.time;
      last.any_organization = r.any_organization;
      last.session_scope = r.session_scope;
      last.launch_org = std::string(r.launch_org);
    }
    if (allow) return engine::Decision{true, engine::Reason::kAllowed, "role:admin"};
    return engine::Decision{false, deny_reason.load(), "check:test"};
  }
};

inline Principal principal(std::string admin = "a1", std::string provider = "p1") {
  Principal p;
  p.admin_id = std::move(admin);
  p.provider_id = std::move(provider);
  p.mfa = true;
  p.jti = "j1";
  return p;
}

}  // namespace mtp::http::testing
