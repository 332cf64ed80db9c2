// What every use case works with: the store, the engine, the credential primitives, the
// configuration and the clock. One per process, built by mtpd's main.
// Thread-safety: everything here is safe from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "app/background_retry.h"
#include "app/credential_cache.h"
#include "model/status.h"
#include "auth/api_key.h"
#include "auth/password.h"
#include "auth/secret_box.h"
#include "auth/tokens.h"
#include "mtp/engine/authorizer.h"
#include "psa/psa_client.h"
#include "store/store.h"

namespace mtp::app {

struct AppConfig {
  std::string issuer = "mtp";
  std::string audience = "mtp-api";
  std::chrono::seconds session_ttl{8 * 3600};
  std::chrono::seconds mfa_enroll_ttl{15 * 60};  // a token that reaches only TOTP enrollment
  std::chrono::seconds launch_ttl{15 * 60};      // an org launch token
  int lockout_after = 10;                        // failed logins before the account locks
  std::chrono::seconds lockout_for{15 * 60};
  std::chrono::seconds activation_ttl{7 * 24 * 3600};
  std::string public_url = "http://127.0.0.1:8080";  // for links in emails
};

class AppContext {
 public:
  AppContext(store::Store& store, engine::Authorizer& authorizer, auth::PasswordHasher& passwords,
             auth::TokenCodec& tokens, auth::ApiKeyHasher& api_keys, AppConfig config,
             std::function<std::int64_t()> clock);

  store::Store& store() { return store_; }
  engine::Authorizer& authorizer() { return authorizer_; }
  auth::PasswordHasher& passwords() { return passwords_; }
  auth::TokenCodec& tokens() { return tokens_; }
  auth::ApiKeyHasher& apiKeys() { return api_keys_; }
  const AppConfig& config() const { return config_; }
  // Verified credentials kept between requests; used only while the change listener is in
  // step with the change feed (it enables, disables and evicts them).
  CredentialCache& credentials() { return credentials_; }
  std::int64_t now() const { return clock_(); }

  // Secrets at rest (PSA credentials): set once by mtpd before serving; null until then
  // (the integration use cases then answer kUnavailable).
  void setSecrets(std::shared_ptr<const auth::SecretBox> box) { secrets_ = std::move(box); }
  const auth::SecretBox* secrets() const { return secrets_.get(); }
  // How the PSA use cases and the sync job reach a PSA (tests hand a factory of their own
  // timeouts); set once by mtpd before serving.
  void setPsaClients(psa::ClientFactory factory) { psa_clients_ = std::move(factory); }
  const psa::ClientFactory& psaClients() const { return psa_clients_; }

  // Reloads the directory (providers, orgs, admins, grants) from the store and swaps the
  // engine's snapshot. Call after committing any change to them, before answering, so the
  // very next request is decided on the new facts. Serialized: a refresh always loads after
  // the commit that asked for it, and the last swap holds every earlier commit.
  Result<void> refreshDirectory();

  // After a committed change (issue 11 item 2): refreshDirectory(), and when that fails, the
  // write stays acknowledged and the refresh is retried in the background until it succeeds
  // (the failure is logged; directoryStale() says so meanwhile). With `parts` (the admins and
  // orgs the change touched), updateDirectory(parts) instead of a full reload (issue 16), and a
  // full reload only when that fails.
  using DirectoryRefs = std::vector<std::pair<engine::DirectoryPart::Kind, std::string>>;
  static std::pair<engine::DirectoryPart::Kind, std::string> adminRef(std::string id) {
    return {engine::DirectoryPart::Kind::kAdmin, std::move(id)};
  }
  static std::pair<engine::DirectoryPart::Kind, std::string> orgRef(std::string id) {
    return {engine::DirectoryPart::Kind::kOrg, std::move(id)};
  }
  void refreshAfterCommit(const DirectoryRefs& parts = {});
  bool directoryStale() const;

  // Applies the admins (with their grants) and orgs (with their tags) named in `parts` as
  // committed now (change feed, issue 16 item 1): one store read per part and one snapshot
  // build, no full load. Serialized with refreshDirectory(). An error leaves the live
  // snapshot as it was: the caller then refreshes in full.
  Result<void> updateDirectory(const DirectoryRefs& parts);

 private:
  store::Store& store_;
  engine::Authorizer& authorizer_;
  auth::PasswordHasher& passwords_;
  auth::TokenCodec& tokens_;
  auth::ApiKeyHasher& api_keys_;
  AppConfig config_;
  std::function<std::int64_t()> clock_;
  std::shared_ptr<const auth::SecretBox> secrets_;
  psa::ClientFactory psa_clients_ = psa::defaultClientFactory();
  std::mutex refresh_;
  CredentialCache credentials_;
  std::unique_ptr<BackgroundRetry> refresh_retry_;  // last: it stops before the rest goes
};

}  // namespace mtp::app
