// The use cases without HTTP (issue 9 item 5): a whole AppContext over a fresh SQLite store (a
// temp file, migrated), the builtin policies, real credential primitives and a clock the test
// sets. One provider with its owner (an all-organizations `admin_billing`) to start from, and
// the request's Authorization as the pipeline would make it (every action declared).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/authorization.h"
#include "app/device_service.h"
#include "app/if_match.h"
#include "auth/api_key.h"
#include "auth/password.h"
#include "auth/tokens.h"
#include "mtp/engine/authorizer.h"
#include "mtp/engine/policy_set.h"
#include "store/store.h"

namespace mtp::app::testing {

// The API's spelled name of an error code (http/errors.cc), the one place the tests name the
// use cases' error type: every assertion on an error goes through failsWith().
inline std::string_view codeName(Status::Code c) {
  using C = Status::Code;
  switch (c) {
    case C::kInvalidArgument: return "invalid_argument";
    case C::kUnauthenticated: return "unauthenticated";
    case C::kMfaRequired: return "mfa_required";
    case C::kPermissionDenied: return "permission_denied";
    case C::kNotFound: return "not_found";
    case C::kConflict: return "conflict";
    case C::kPreconditionFailed: return "precondition_failed";
    case C::kPayloadTooLarge: return "payload_too_large";
    case C::kUnsupportedMediaType: return "unsupported_media_type";
    case C::kUnprocessable: return "unprocessable";
    case C::kTooManyRequests: return "too_many_requests";
    case C::kUnavailable: return "unavailable";
    case C::kInternal: return "internal";
  }
  return "internal";
}

inline ::testing::AssertionResult failsWith(const Status& e, std::string_view code) {
  if (codeName(e.code) == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << code << ", got " << codeName(e.code)
                                       << " (" << e.text() << ")";
}
inline ::testing::AssertionResult failsWith(const std::optional<Status>& e, std::string_view code) {
  if (!e) return ::testing::AssertionFailure() << "expected " << code << ", got success";
  return failsWith(*e, code);
}
// EXPECT_TRUE(failsWith(result, "not_found")): the result is an error with that API code.
template <class T>
::testing::AssertionResult failsWith(const Result<T>& r, std::string_view code) {
  if (r) return ::testing::AssertionFailure() << "expected " << code << ", got success";
  return failsWith(r.error(), code);
}

// As a bulk route runs a use case: `act(id)` for each id on its own, one outcome per id
// (nullopt: it succeeded).
template <class Act>
std::vector<std::optional<Status>> eachOf(const std::vector<std::string>& ids, Act act) {
  std::vector<std::optional<Status>> out;
  for (const auto& id : ids) {
    auto r = act(id);
    out.push_back(r ? std::nullopt : std::optional<Status>(r.error()));
  }
  return out;
}

// An If-Match naming these versions (an empty list never matches).
inline IfMatch ifMatch(std::vector<std::int64_t> v) {
  IfMatch m;
  m.versions = std::move(v);
  return m;
}

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("mtp-app-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    store::StoreOptions so;
    so.url = "sqlite:" + (dir_ / "mtp.db").string();
    so.pool_size = 2;
    so.clock = [this] { return now_.load(); };
    auto s = store::openStore(so);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->migrate());

    scope_.provider_id = "p1";
    model::ProviderRecord p;
    p.id = "p1";
    p.name = "Provider One";
    model::AdminRecord owner;
    owner.email = "owner@example.com";
    owner.firstname = "Olive";
    owner.lastname = "Owner";
    owner.role_name = "admin_billing";
    owner.status = model::AdminStatus::kActive;
    owner.all_organizations = true;
    owner.api_key_allowed = true;
    auto id = store_->transact([&](store::Tx& tx) -> Result<std::string> {
      if (auto ok = tx.createProvider(scope_, p); !ok) return std::unexpected(ok.error());
      return tx.createAdmin(scope_, owner, std::nullopt);
    });
    ASSERT_TRUE(id) << id.error().message;
    owner_id_ = *id;

    const char* src = std::getenv("MTP_SOURCE_DIR");
    auto policies = engine::PolicySet::load(std::filesystem::path(src ? src : ".") / "policies" / "builtin");
    ASSERT_TRUE(policies) << "policies/builtin (MTP_SOURCE_DIR)";
    auto dir = store_->loadDirectory();
    ASSERT_TRUE(dir) << dir.error().message;
    auto authorizer = engine::Authorizer::create(*policies, std::move(*dir));
    ASSERT_TRUE(authorizer);
    authorizer_ = std::move(*authorizer);
    tokens_ = std::make_unique<auth::TokenCodec>(auth::SigningKey::fromBytes(std::string(32, 'k')),
                                                 "mtp", "mtp-api");
    api_keys_ = std::make_unique<auth::ApiKeyHasher>(std::string(32, 'p'));
    app_ = std::make_unique<AppContext>(*store_, *authorizer_, passwords_, *tokens_, *api_keys_,
                                        AppConfig{}, [this] { return now_.load(); });
  }

  // An org of the provider; returns its id.
  std::string addOrg(const std::string& name) {
    model::OrganizationRecord o;
    o.name = name;
    auto id = store_->transact([&](store::Tx& tx) { return tx.createOrganization(scope_, o); });
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE(app_->refreshDirectory());
    return id.value_or("");
  }

  // An active admin of the provider with `role`, on every org or on `orgs` only.
  std::string addAdmin(const std::string& email, const std::string& role, bool all_orgs,
                       const std::vector<std::string>& orgs = {}) {
    model::AdminRecord a;
    a.email = email;
    a.firstname = "A";
    a.lastname = "B";
    a.role_name = role;
    a.status = model::AdminStatus::kActive;
    a.all_organizations = all_orgs;
    auto id = store_->transact([&](store::Tx& tx) -> Result<std::string> {
      auto created = tx.createAdmin(scope_, a, std::nullopt);
      if (!created) return created;
      for (const auto& org : orgs) {
        model::GrantRecord g;
        g.admin_id = *created;
        g.org_id = org;
        g.created = now_;
        if (auto ok = tx.putGrant(scope_, g); !ok) return std::unexpected(ok.error());
      }
      return created;
    });
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE(app_->refreshDirectory());
    return id.value_or("");
  }

  // Another tenant (provider `id`) with its own all-organizations owner; returns the owner's id.
  std::string addProvider(const std::string& id, const std::string& owner_email) {
    const store::TenantScope scope{id};
    model::ProviderRecord p;
    p.id = id;
    p.name = "Provider " + id;
    model::AdminRecord owner;
    owner.email = owner_email;
    owner.firstname = "Other";
    owner.lastname = "Owner";
    owner.role_name = "admin_billing";
    owner.status = model::AdminStatus::kActive;
    owner.all_organizations = true;
    auto made = store_->transact([&](store::Tx& tx) -> Result<std::string> {
      if (auto ok = tx.createProvider(scope, p); !ok) return std::unexpected(ok.error());
      return tx.createAdmin(scope, owner, std::nullopt);
    });
    EXPECT_TRUE(made) << made.error().message;
    EXPECT_TRUE(app_->refreshDirectory());
    return made.value_or("");
  }

  // An org of provider `provider` (not p1's scope_).
  std::string addOrgOf(const std::string& provider, const std::string& name) {
    model::OrganizationRecord o;
    o.name = name;
    auto id = store_->transact(
        [&](store::Tx& tx) { return tx.createOrganization(store::TenantScope{provider}, o); });
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE(app_->refreshDirectory());
    return id.value_or("");
  }

  // A device of OS `family` ("linux" or "windows") enrolled in `org` of `provider` through
  // its connect key, as an agent does.
  Registration enroll(const std::string& org, const std::string& host, const std::string& family = "linux",
                      const std::string& provider = "p1", const std::string& admin = "") {
    DeviceService devices(*app_);
    auto key = devices.connectKey(actorOf(admin.empty() ? owner_id_ : admin, provider), org);
    EXPECT_TRUE(key) << key.error().message;
    DeviceFacts f{host, family == "windows" ? "Windows 11" : "Ubuntu 24.04", family, "1.0.0", ""};
    auto reg = devices.registerDevice(key ? key->key : "", f, "198.51.100.7");
    EXPECT_TRUE(reg) << reg.error().message;
    return reg.value_or(Registration{});
  }

  // The events of `type` of `provider`, newest first (every type when empty).
  std::vector<model::ActivityRecord> events(const std::string& type,
                                            const std::string& provider = "p1") {
    model::ActivityQuery q;
    q.event_type = type;
    q.limit = 1000;
    auto page = store_->query(
        [&](store::Tx& tx) { return tx.listActivity(store::TenantScope{provider}, q); });
    EXPECT_TRUE(page) << page.error().message;
    return page.value_or(std::vector<model::ActivityRecord>{});
  }

  Actor actorOf(const std::string& admin_id, const std::string& provider = "p1") const {
    Actor a;
    a.admin_id = admin_id;
    a.provider_id = provider;
    a.mfa = true;
    a.client_ip = "192.0.2.1";
    return a;
  }

  // The request's Authorization for `admin_id` (a full MFA session), on the live snapshot.
  std::unique_ptr<Authorization> authorizationOf(const std::string& admin_id) {
    held_.push_back(std::make_unique<std::string>(admin_id));
    engine::Request context;
    context.admin = *held_.back();
    context.mfa = true;
    context.time = now_;
    engine::ActionSet all;
    for (std::size_t i = 0; i < engine::allActions().size(); ++i) all.add(static_cast<engine::ActionId>(i));
    return std::make_unique<Authorization>(engineSource(*authorizer_)(), context, all, DecisionSinks{},
                                           "test-request");
  }

  void TearDown() override {
    app_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::atomic<std::int64_t> now_{1'800'000'000};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  store::TenantScope scope_;
  std::string owner_id_;
  std::unique_ptr<engine::Authorizer> authorizer_;
  auth::PasswordHasher passwords_;
  std::unique_ptr<auth::TokenCodec> tokens_;
  std::unique_ptr<auth::ApiKeyHasher> api_keys_;
  std::unique_ptr<AppContext> app_;
  std::vector<std::unique_ptr<std::string>> held_;  // the views of Authorization contexts
};

}  // namespace mtp::app::testing
