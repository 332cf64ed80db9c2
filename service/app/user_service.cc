#include "app/user_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "app/one_time_token.h"
#include "auth/password.h"

namespace mtp::app {

namespace {

constexpr std::size_t kMaxTextBytes = 255;

bool hasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

std::optional<Status> checkText(std::string_view value, std::string_view field, bool required) {
  if (required && value.empty()) {
    return Status::invalidArgument("field `" + std::string(field) + "` must not be empty");
  }
  if (value.size() > kMaxTextBytes || hasControl(value)) {
    return Status::invalidArgument("field `" + std::string(field) +
                             "` must be at most 255 bytes of printable text");
  }
  return std::nullopt;
}

std::optional<Status> checkUsername(std::string_view u) {
  if (auto e = checkText(u, "username", true)) return e;
  if (u.find(' ') != std::string_view::npos) {
    return Status::invalidArgument("field `username` must not contain spaces");
  }
  return std::nullopt;
}

std::optional<Status> checkEmail(std::string_view e) {
  if (auto err = checkText(e, "email", false)) return err;
  if (!e.empty()) {
    auto at = e.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 >= e.size() ||
        e.find(' ') != std::string_view::npos) {
      return Status::invalidArgument("field `email` must be an email address");
    }
  }
  return std::nullopt;
}

// Why one more user would exceed a cap, or nullopt when it fits.
std::optional<std::string> capExceeded(const model::UserCapacity& c) {
  if (c.org_cap && c.org_users + 1 > *c.org_cap) {
    return "the organization has reached its maximum of " + std::to_string(*c.org_cap) +
           " users (maxSystemUsers); raise it or remove a user first";
  }
  if (c.provider_cap && c.provider_users + 1 > *c.provider_cap) {
    return "the provider has reached its user cap of " + std::to_string(*c.provider_cap) +
           " users across its organizations; raise the cap or remove a user first";
  }
  return std::nullopt;
}

std::string boolText(bool b) { return b ? "true" : "false"; }

Actor withEmail(store::Tx& tx, const Actor& actor) {
  Actor who = actor;
  if (who.email.empty()) {
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
  }
  return who;
}

Result<void> appendEvent(store::Tx& tx, const Actor& actor, std::string type,
                                const std::string& org_id, const std::string& user_id,
                                const std::vector<Change>& changes = {}) {
  auto ev = activityEvent(withEmail(tx, actor), std::move(type), "user", user_id, changes, org_id);
  auto id = tx.appendActivity(actor.scope(), ev);
  if (!id) return fail(id.error());
  return {};
}

Result<void> queueEmail(store::Tx& tx, const Actor& actor, const model::SystemUserRecord& u,
                               std::string subject, std::string body) {
  model::EmailRecord email;
  email.to_address = u.email;
  email.subject = std::move(subject);
  email.body = std::move(body);
  auto queued = tx.enqueueEmail(actor.scope(), email);
  if (!queued) return fail(queued.error());
  return {};
}

// The activation email of a STAGED user: a one-time link to the user portal's activation page,
// good for config().activation_ttl; only the token's hash is stored.
Result<void> queueActivationEmail(store::Tx& tx, const Actor& actor, const AppContext& app,
                                         const model::SystemUserRecord& u) {
  const OneTimeToken token = newOneTimeToken();
  model::UserTokenRecord t;
  t.token_hash = token.hash;
  t.org_id = u.org_id;
  t.user_id = u.id;
  t.created = app.now();
  t.expires_at = t.created + static_cast<std::int64_t>(app.config().activation_ttl.count());
  if (auto r = tx.createUserToken(actor.scope(), t); !r) return fail(r.error());
  return queueEmail(tx, actor, u, "Activate your account",
                    "Hello " + u.username +
                        ",\n\nyour account is ready. Choose your password and activate it here:\n\n" +
                        app.config().public_url + "/userconsole/activate?token=" + token.token +
                        "\n\nThe link works once and expires in " +
                        std::to_string(app.config().activation_ttl.count() / 86400) + " days.\n");
}

}  // namespace

Result<model::Page<model::SystemUserRecord>> UserService::list(const Actor& actor,
                                                                  const model::OrgReach& reach,
                                                                  const model::ListQuery& query) {
  if (!reach.all && reach.ids.empty()) return model::Page<model::SystemUserRecord>{};
  auto page = app_.store().query(
      [&](store::Tx& tx) { return tx.listSystemUsers(actor.scope(), reach, query); });
  if (!page) return fail(page.error());
  return std::move(*page);
}

Result<model::SystemUserRecord> UserService::get(const Actor& actor, const std::string& org_id,
                                                    const std::string& id) {
  auto u = app_.store().query(
      [&](store::Tx& tx) { return tx.getSystemUser(actor.scope(), org_id, id); });
  if (!u) return fail(u.error());
  return std::move(*u);
}

Result<model::SystemUserRecord> UserService::create(const Actor& actor,
                                                       const std::string& org_id,
                                                       const UserCreate& in) {
  if (auto e = checkUsername(in.username)) return fail(*e);
  if (auto e = checkEmail(in.email)) return fail(*e);
  if (auto e = checkText(in.firstname, "firstname", false)) return fail(*e);
  if (auto e = checkText(in.lastname, "lastname", false)) return fail(*e);
  std::optional<std::string> hash;
  if (in.password) {
    if (auto why = auth::checkPasswordPolicy(*in.password)) return fail(Status::invalidArgument(*why));
    auto h = app_.passwords().hash(*in.password);
    if (!h) {
      if (h.error() == auth::PasswordStatus::kBusy) return fail(Status::unavailable(1));
      return fail(Status::internal());
    }
    hash = std::move(*h);
  }
  model::SystemUserRecord r;
  r.org_id = org_id;
  r.username = in.username;
  r.email = in.email;
  r.firstname = in.firstname;
  r.lastname = in.lastname;
  r.state = in.activated ? model::UserState::kActivated : model::UserState::kStaged;
  r.sudo = in.sudo;
  r.passwordless_sudo = in.passwordless_sudo;
  r.samba_service_user = in.samba_service_user;
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<model::SystemUserRecord> {
    const model::UnixTime now = tx.now();
    auto policy = tx.getPasswordPolicy(actor.scope(), org_id);
    if (!policy) return fail(policy.error());
    if (hash && policy->password_expiration_days > 0) {
      r.password_expiration_date =
          now + static_cast<model::UnixTime>(policy->password_expiration_days) * 86400;
    }
    // The caps, checked where the user is written: the org's and the provider's rows stay
    // locked until this unit ends, so concurrent creates cannot both take the last place.
    auto capacity = tx.holdUserCapacity(actor.scope(), org_id);
    if (!capacity) return fail(capacity.error());
    if (auto full = capExceeded(*capacity)) return fail(Status::conflict(*full));
    auto id = tx.createSystemUser(actor.scope(), r, hash);
    if (!id) return fail(id.error());
    if (auto ev = appendEvent(tx, actor, "user_create", org_id, *id,
                              {{"username", "", r.username},
                               {"state", "", std::string(model::userStateText(r.state))}});
        !ev) {
      return fail(ev.error());
    }
    auto created = tx.getSystemUser(actor.scope(), org_id, *id);
    if (!created) return fail(created.error());
    // A STAGED user without a password gets the activation email at once (the user portal's
    // /userconsole/activate link), in the same transaction as the user.
    if (r.state == model::UserState::kStaged && !hash && !created->email.empty()) {
      if (auto q = queueActivationEmail(tx, actor, app_, *created); !q) return fail(q.error());
    }
    return created;
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

Result<model::SystemUserRecord> UserService::update(const Actor& actor,
                                                       const std::string& org_id,
                                                       const std::string& id,
                                                       const UserChanges& in,
                                                       const IfMatch& if_match) {
  if (in.username) {
    if (auto e = checkUsername(*in.username)) return fail(*e);
  }
  if (in.email) {
    if (auto e = checkEmail(*in.email)) return fail(*e);
  }
  if (in.firstname) {
    if (auto e = checkText(*in.firstname, "firstname", false)) return fail(*e);
  }
  if (in.lastname) {
    if (auto e = checkText(*in.lastname, "lastname", false)) return fail(*e);
  }
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<model::SystemUserRecord> {
    auto cur = tx.getSystemUser(actor.scope(), org_id, id);  // holds the row until the commit
    if (!cur) return fail(cur.error());
    if (auto ok = if_match.check(cur->version, "the user"); !ok) return fail(ok.error());
    model::SystemUserRecord next = *cur;
    std::vector<Change> changes;
    auto text = [&](const std::optional<std::string>& v, std::string& field, const char* name) {
      if (v && *v != field) {
        changes.push_back({name, field, *v});
        field = *v;
      }
    };
    auto flag = [&](const std::optional<bool>& v, bool& field, const char* name) {
      if (v && *v != field) {
        changes.push_back({name, boolText(field), boolText(*v)});
        field = *v;
      }
    };
    text(in.username, next.username, "username");
    text(in.email, next.email, "email");
    text(in.firstname, next.firstname, "firstname");
    text(in.lastname, next.lastname, "lastname");
    flag(in.sudo, next.sudo, "sudo");
    flag(in.passwordless_sudo, next.passwordless_sudo, "passwordless_sudo");
    flag(in.samba_service_user, next.samba_service_user, "samba_service_user");
    if (changes.empty()) return *cur;
    if (auto u = tx.updateSystemUser(actor.scope(), next); !u) return fail(u.error());
    if (auto ev = appendEvent(tx, actor, "user_update", org_id, id, changes); !ev) {
      return fail(ev.error());
    }
    return tx.getSystemUser(actor.scope(), org_id, id);
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

Result<void> UserService::remove(const Actor& actor, const std::string& org_id,
                                    const std::string& id, const IfMatch& if_match) {
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto cur = tx.getSystemUser(actor.scope(), org_id, id);
    if (!cur) return fail(cur.error());
    if (auto ok = if_match.check(cur->version, "the user"); !ok) return ok;
    if (auto d = tx.deleteSystemUser(actor.scope(), org_id, id); !d) return d;
    return appendEvent(tx, actor, "user_delete", org_id, id, {{"username", cur->username, ""}});
  });
  if (!done) return fail(done.error());
  return {};
}

Result<model::SystemUserRecord> UserService::act(const Actor& actor, const std::string& org_id,
                                                    const std::string& id, UserAction action) {
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<model::SystemUserRecord> {
    const auto scope = actor.scope();
    auto cur = tx.getSystemUser(scope, org_id, id);
    if (!cur) return fail(cur.error());
    Result<void> changed;
    std::string event;
    std::vector<Change> changes;
    auto state = [&](model::UserState to) {
      changes.push_back({"state", std::string(model::userStateText(cur->state)),
                         std::string(model::userStateText(to))});
      return tx.setSystemUserState(scope, org_id, id, to);
    };
    switch (action) {
      case UserAction::kUnlock:
        event = "user_unlocked";
        changes.push_back({"account_locked", boolText(cur->account_locked), "false"});
        changed = tx.unlockSystemUser(scope, org_id, id);
        break;
      case UserAction::kSuspend:
        event = "user_suspended";
        changed = state(model::UserState::kSuspended);
        break;
      case UserAction::kActivate:
        event = "user_activated";
        changed = state(model::UserState::kActivated);
        break;
      case UserAction::kForcePasswordReset:
        event = "user_password_expired";
        changes.push_back({"password_expired", boolText(cur->password_expired), "true"});
        changed = tx.expireSystemUserPassword(scope, org_id, id);
        if (changed && !cur->email.empty()) {
          changed = queueEmail(tx, actor, *cur, "Your password has expired",
                               "Hello " + cur->username +
                                   ",\n\nyour administrator requires a new password. Set it at "
                                   "your next sign-in to the user portal: " +
                                   app_.config().public_url + "/userconsole?organization=" +
                                   cur->org_id + "\n");
        }
        break;
      case UserAction::kResetMfa: {
        event = "user_mfa_reset";
        changes.push_back({"totp_enabled", boolText(cur->totp_enabled), "false"});
        model::SystemUserRecord next = *cur;
        next.totp_enabled = false;
        changed = tx.updateSystemUser(scope, next);
        break;
      }
      case UserAction::kResendActivation:
        if (cur->state != model::UserState::kStaged) {
          return fail(Status::preconditionFailed("the user is not STAGED"));
        }
        if (cur->email.empty()) {
          return fail(Status::preconditionFailed("the user has no email"));
        }
        event = "user_activation_resent";
        changed = queueActivationEmail(tx, actor, app_, *cur);
        break;
    }
    if (!changed) return fail(changed.error());
    if (auto ev = appendEvent(tx, actor, event, org_id, id, changes); !ev) {
      return fail(ev.error());
    }
    return tx.getSystemUser(scope, org_id, id);
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

}  // namespace mtp::app
