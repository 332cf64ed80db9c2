#include "app/user_login_service.h"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "app/one_time_token.h"
#include "auth/password.h"

namespace mtp::app {
namespace {

using store::Tx;

// One message for an unknown org, an unknown user, a user without a password and a wrong
// password: the answer must not tell them apart.
constexpr const char* kBadLogin = "invalid organization, username or password";

Status hasherError(auth::PasswordStatus s) {
  if (s == auth::PasswordStatus::kBusy) return Status::unavailable(1);
  spdlog::error("password hasher failed: {}", auth::passwordStatusName(s));
  return Status::internal();
}

// What the read before the (slow) password check found.
struct Found {
  model::TenantScope scope;
  model::PasswordPolicyRecord policy;
  std::optional<model::SystemUserLogin> user;
};

// The event of one sign-in attempt, initiated by the user (when known) from client_ip.
model::ActivityRecord attemptEvent(const Found& f, const UserLoginInput& in, bool success) {
  model::ActivityRecord e;
  e.provider_id = f.scope.provider_id;
  e.event_type = "user_login_attempt";
  e.initiated_by_type = "user";
  if (f.user) {
    e.initiated_by_id = f.user->user.id;
    e.initiated_by_email = f.user->user.email;
    e.resource_id = f.user->user.id;
  }
  e.organization = in.organization;
  e.resource_type = "user";
  e.client_ip = in.client_ip;
  e.auth_method = "password";
  e.success = success;
  return e;
}

model::ActivityRecord lockoutEvent(const Found& f, const UserLoginInput& in) {
  model::ActivityRecord e;
  e.provider_id = f.scope.provider_id;
  e.event_type = "user_lockout";
  e.initiated_by_type = "system";
  e.organization = in.organization;
  e.resource_type = "user";
  e.resource_id = f.user->user.id;
  e.changes_json = R"([{"field":"account_locked","from":"false","to":"true"}])";
  e.client_ip = in.client_ip;
  return e;
}

std::string intText(int v) { return std::to_string(v); }

// An event the user made on their own account from the user portal.
model::ActivityRecord userEvent(const model::TenantScope& scope, const model::SystemUserRecord& u,
                                std::string event_type, const std::string& client_ip) {
  model::ActivityRecord e;
  e.provider_id = scope.provider_id;
  e.event_type = std::move(event_type);
  e.initiated_by_type = "user";
  e.initiated_by_id = u.id;
  e.initiated_by_email = u.email;
  e.organization = u.org_id;
  e.resource_type = "user";
  e.resource_id = u.id;
  e.client_ip = client_ip;
  e.auth_method = "password";
  e.success = true;
  return e;
}

}  // namespace

Result<model::SystemUserRecord> UserLoginService::login(const UserLoginInput& in) {
  auto v = verify(in, Purpose::kSignIn);
  if (!v) return fail(v.error());
  return std::move(v->user);
}

Result<UserLoginService::Verified> UserLoginService::verify(const UserLoginInput& in,
                                                               Purpose purpose) {
  // 1. The org names the tenant; an unknown org has no provider to write an event to.
  std::optional<std::string> provider;
  if (!in.organization.empty()) {
    auto p = app_.store().query([&](Tx& tx) -> Result<std::optional<std::string>> {
      auto r = tx.findOrganizationProvider(in.organization);
      if (!r) {
        if (r.error().isNotFound()) return std::optional<std::string>();
        return fail(r.error());
      }
      return std::optional<std::string>(std::move(*r));
    });
    if (!p) return fail(p.error());
    provider = std::move(*p);
  }
  if (!provider) {
    auto s = app_.passwords().verifyDummy(in.password);
    if (s == auth::PasswordStatus::kBusy) return fail(hasherError(s));
    return fail(Status::unauthenticated(kBadLogin));
  }

  // 2. The org's policy and the user, in one snapshot.
  Found found;
  found.scope = model::TenantScope{*provider};
  auto read = app_.store().query([&](Tx& tx) -> Result<void> {
    auto policy = tx.getPasswordPolicy(found.scope, in.organization);
    if (!policy) return fail(policy.error());
    found.policy = *policy;
    found.user.reset();
    if (in.username.empty()) return {};
    auto u = tx.getSystemUserLogin(found.scope, in.organization, in.username);
    if (u) {
      found.user = std::move(*u);
    } else if (!u.error().isNotFound()) {
      return fail(u.error());
    }
    return {};
  });
  if (!read) {
    // The org went away between the two reads: as unknown.
    if (read.error().isNotFound()) {
      auto s = app_.passwords().verifyDummy(in.password);
      if (s == auth::PasswordStatus::kBusy) return fail(hasherError(s));
      return fail(Status::unauthenticated(kBadLogin));
    }
    return fail(read.error());
  }

  // 3. The same argon2id work whether or not there is a hash to check.
  const bool has_hash = found.user && found.user->password_hash.has_value();
  const auth::PasswordStatus pw = has_hash
                                      ? app_.passwords().verify(*found.user->password_hash, in.password)
                                      : app_.passwords().verifyDummy(in.password);
  if (pw == auth::PasswordStatus::kBusy || pw == auth::PasswordStatus::kError)
    return fail(hasherError(pw));
  // A locked account answers exactly as a wrong password does, whatever the password (issue
  // 10 item 3): a distinct answer for the right one would make the lock-out a password oracle.
  const bool locked = found.user && found.user->user.account_locked;
  const bool password_ok = has_hash && pw == auth::PasswordStatus::kOk && !locked;

  // 4. Decide, and record the attempt with its consequences in one transaction.
  if (!password_ok) {
    const int after = found.policy.lockout_after_failures;
    // Only a wrong password against a usable account counts: a locked account is not locked
    // again, a STAGED or SUSPENDED one cannot sign in anyway.
    const bool counts = has_hash && found.user->user.state == model::UserState::kActivated &&
                        !found.user->user.account_locked;
    bool locked_now = false;
    auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
      locked_now = false;
      if (counts) {
        auto n = tx.recordSystemUserFailedLogin(found.scope, in.organization, found.user->user.id,
                                                after);
        if (!n) return fail(n.error());
        if (after > 0 && *n >= after) {
          locked_now = true;
          if (auto r = tx.appendActivity(found.scope, lockoutEvent(found, in)); !r)
            return fail(r.error());
        }
      }
      if (auto r = tx.appendActivity(found.scope, attemptEvent(found, in, false)); !r)
        return fail(r.error());
      return {};
    });
    if (!done) return fail(done.error());
    if (locked_now) {
      spdlog::warn("user {} of org {} (provider {}) locked after {} failed logins",
                   found.user->user.id, in.organization, found.scope.provider_id, after);
    }
    return fail(Status::unauthenticated(kBadLogin));
  }

  // The right password: now the account's state may be told.
  model::SystemUserRecord user = found.user->user;
  std::optional<Status> refused;
  if (user.state != model::UserState::kActivated) {
    refused = Status::preconditionFailed("account not active");
  } else if (user.password_expired && purpose == Purpose::kSignIn) {
    refused = Status::preconditionFailed("password expired: set a new password to sign in");
  }
  auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
    if (!refused && user.failed_logins != 0) {
      if (auto r = tx.clearSystemUserFailedLogins(found.scope, in.organization, user.id); !r)
        return r;
    }
    if (auto r = tx.appendActivity(found.scope, attemptEvent(found, in, !refused)); !r)
      return fail(r.error());
    return {};
  });
  if (!done) return fail(done.error());
  if (refused) return fail(*refused);
  user.failed_logins = 0;
  return Verified{found.scope, found.policy, std::move(user)};
}

Result<model::SystemUserRecord> UserLoginService::changePassword(const UserPasswordChangeInput& in) {
  // The new password is checked first: a refused one costs no argon2 work and counts nothing.
  if (auto problem = auth::checkPasswordPolicy(in.new_password))
    return fail(Status::invalidArgument("field `newPassword`: " + *problem));
  if (in.new_password == in.current.password)
    return fail(Status::invalidArgument("field `newPassword` must differ from the current password"));
  auto v = verify(in.current, Purpose::kPasswordChange);
  if (!v) return fail(v.error());
  auto hash = app_.passwords().hash(in.new_password);
  if (!hash) return fail(hasherError(hash.error()));
  auto out = app_.store().transact([&](Tx& tx) -> Result<model::SystemUserRecord> {
    if (auto r = tx.setSystemUserPassword(v->scope, in.current.organization, v->user.id, *hash,
                                          v->policy.password_expiration_days);
        !r)
      return fail(r.error());
    if (auto r = tx.appendActivity(v->scope, userEvent(v->scope, v->user, "user_password_changed",
                                                       in.current.client_ip));
        !r)
      return fail(r.error());
    return tx.getSystemUser(v->scope, in.current.organization, v->user.id);
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

Result<model::SystemUserRecord> UserLoginService::activate(const UserActivationInput& in) {
  if (auto problem = auth::checkPasswordPolicy(in.password))
    return fail(Status::invalidArgument("field `password`: " + *problem));
  auto hash = app_.passwords().hash(in.password);
  if (!hash) return fail(hasherError(hash.error()));
  const std::string token_hash = hashOneTimeToken(in.token);
  auto out = app_.store().transact([&](Tx& tx) -> Result<model::SystemUserRecord> {
    auto t = tx.consumeUserToken(token_hash, app_.now());
    if (!t) return fail(t.error());
    const model::TenantScope scope{t->provider_id};
    auto user = tx.getSystemUser(scope, t->org_id, t->user_id);
    if (!user) return fail(user.error());
    // Only a STAGED user activates: a suspended one stays suspended, whatever old link it has.
    if (user->state != model::UserState::kStaged)
      return fail(Status::preconditionFailed("the account is not waiting for activation"));
    auto policy = tx.getPasswordPolicy(scope, t->org_id);
    if (!policy) return fail(policy.error());
    if (auto r = tx.setSystemUserPassword(scope, t->org_id, t->user_id, *hash,
                                          policy->password_expiration_days);
        !r)
      return fail(r.error());
    if (auto r = tx.setSystemUserState(scope, t->org_id, t->user_id, model::UserState::kActivated); !r)
      return fail(r.error());
    auto e = userEvent(scope, *user, "user_activated", in.client_ip);
    e.changes_json = R"([{"field":"state","from":"STAGED","to":"ACTIVATED"}])";
    if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
    return tx.getSystemUser(scope, t->org_id, t->user_id);
  });
  if (!out) {
    // One answer for an unknown, used or expired link.
    if (out.error().isNotFound())
      return fail(Status::invalidArgument("this activation link is not valid (used, expired or unknown)"));
    return fail(out.error());
  }
  return std::move(*out);
}

Result<model::PasswordPolicyRecord> UserLoginService::policy(const Actor& actor,
                                                                const std::string& org_id) {
  auto r = app_.store().query([&](Tx& tx) { return tx.getPasswordPolicy(actor.scope(), org_id); });
  if (!r) return fail(r.error());
  return *r;
}

Result<model::PasswordPolicyRecord> UserLoginService::putPolicy(
    const Actor& actor, const std::string& org_id, const PasswordPolicyChanges& in,
    const IfMatch& if_match) {
  if (in.lockout_after_failures &&
      (*in.lockout_after_failures < 0 || *in.lockout_after_failures > kMaxLockoutAfterFailures))
    return fail(Status::invalidArgument("field `lockoutAfterFailures` must be between 0 and 100"));
  if (in.password_expiration_days &&
      (*in.password_expiration_days < 0 || *in.password_expiration_days > kMaxPasswordExpirationDays))
    return fail(Status::invalidArgument("field `passwordExpirationDays` must be between 0 and 3650"));
  const auto scope = actor.scope();
  model::PasswordPolicyRecord out;
  auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
    auto cur = tx.getPasswordPolicy(scope, org_id);
    if (!cur) return fail(cur.error());
    if (auto ok = if_match.check(cur->version, "the password policy"); !ok) return ok;
    model::PasswordPolicyRecord next = *cur;
    next.org_id = org_id;
    std::vector<Change> changes;
    if (in.lockout_after_failures && *in.lockout_after_failures != cur->lockout_after_failures) {
      changes.push_back({"lockoutAfterFailures", intText(cur->lockout_after_failures),
                         intText(*in.lockout_after_failures)});
      next.lockout_after_failures = *in.lockout_after_failures;
    }
    if (in.password_expiration_days &&
        *in.password_expiration_days != cur->password_expiration_days) {
      changes.push_back({"passwordExpirationDays", intText(cur->password_expiration_days),
                         intText(*in.password_expiration_days)});
      next.password_expiration_days = *in.password_expiration_days;
    }
    out = next;
    if (changes.empty()) return {};
    if (auto r = tx.putPasswordPolicy(scope, next); !r) return r;
    out.version = cur->version + 1;  // the store's next version (the org's lock is held)
    if (next.password_expiration_days != cur->password_expiration_days) {
      // The policy is the org's now: every password on file is dated by it at once (Home's
      // expired and upcoming widgets read these dates).
      if (auto n = tx.applyPasswordExpirationDays(scope, org_id, next.password_expiration_days); !n)
        return fail(n.error());
    }
    Actor a = actor;
    auto admin = tx.getAdmin(scope, actor.admin_id);
    if (admin) a.email = admin->email;
    auto e = activityEvent(a, "organization_password_policy_update", "organization", org_id,
                           changes, org_id);
    if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

}  // namespace mtp::app
