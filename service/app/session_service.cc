#include "app/session_service.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <functional>

#include "app/admin_text.h"
#include "app/one_time_token.h"
#include "auth/api_key.h"
#include "auth/password.h"
#include "auth/random.h"
#include "auth/totp.h"
#include "mtp/engine/action.h"

namespace mtp::app {
namespace {

// TOTP secrets at rest (issue 10 item 8): sealed with the server's secret box (the same key as
// the PSA credentials, docs/security.md) when mtpd has one. A value stored before this, in
// clear, still opens as it is; it is sealed at the next enrollment.
std::string sealTotpSecret(AppContext& app, const std::string& secret) {
  const auth::SecretBox* box = app.secrets();
  return box ? box->seal(secret) : secret;
}

std::optional<std::string> openTotpSecret(AppContext& app, const std::string& stored) {
  if (!stored.starts_with("v1:")) return stored;  // stored in clear before sealing
  const auth::SecretBox* box = app.secrets();
  if (box == nullptr) {
    spdlog::error("a sealed TOTP secret, but no secret key is loaded");
    return std::nullopt;
  }
  auto plain = box->open(stored);
  if (!plain) {
    spdlog::error("a TOTP secret does not open: {}", plain.error());
    return std::nullopt;
  }
  return std::move(*plain);
}

using store::Tx;

constexpr const char* kBadLogin = "invalid email or password";
constexpr const char* kBadToken = "invalid or expired token";

Status busy() { return Status::unavailable(1); }

// Maps a password-hasher status other than kOk / kMismatch.
Status hasherError(auth::PasswordStatus s) {
  if (s == auth::PasswordStatus::kBusy) return busy();
  spdlog::error("password hasher failed: {}", auth::passwordStatusName(s));
  return Status::internal();
}

bool lockedAt(const std::optional<model::UnixTime>& until, std::int64_t now) {
  return until && *until > now;
}

// An event about an admin's own account, initiated by that admin.
model::ActivityRecord selfEvent(const Actor& actor, std::string type,
                                const std::vector<Change>& changes = {}, bool success = true) {
  return activityEvent(actor, std::move(type), "admin", actor.admin_id, changes, {}, success);
}

// The actor of a login attempt (nobody is authenticated yet).
Actor loginActor(const std::string& provider, const std::string& admin_id,
                 const std::string& email, const std::string& ip) {
  Actor a;
  a.admin_id = admin_id;
  a.provider_id = provider;
  a.email = email;
  a.client_ip = ip;
  return a;
}

model::ActivityRecord loginAttempt(const Actor& a, bool success) {
  auto e = activityEvent(a, "admin_login_attempt", "admin", a.admin_id, {}, {}, success);
  e.auth_method = "password";
  return e;
}

// Counts a failed attempt; when it locks the account, also writes admin_lockout. The store
// decides on the row as it is now, not as the caller read it before hashing (issue 11 item 6:
// concurrent failures lock once, an expired lock starts a fresh count once).
Result<void> countFailure(Tx& tx, AppContext& app, const Actor& a) {
  const model::TenantScope scope{a.provider_id};
  const auto now = app.now();
  const int after = app.config().lockout_after;
  auto n = tx.recordFailedLogin(scope, a.admin_id, after, now, now + app.config().lockout_for.count());
  if (!n) return fail(n.error());
  if (n->locked) {
    model::ActivityRecord e = activityEvent(a, "admin_lockout", "admin", a.admin_id,
                                            {{"lockedUntil", "", formatRfc3339(now + app.config().lockout_for.count())}});
    e.initiated_by_id.clear();
    e.initiated_by_email.clear();
    e.initiated_by_type = "system";
    e.auth_method.clear();
    if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
    spdlog::warn("admin {} of provider {} locked after {} failed logins", a.admin_id,
                 a.provider_id, after);
  }
  return {};
}

// Creates the session row and signs its token (after the caller's commit, the token is good).
struct PendingSession {
  model::SessionRecord record;
  auth::TokenClaims claims;
};

PendingSession newSession(AppContext& app, const std::string& provider, const std::string& admin,
                          model::SessionKind kind, bool mfa, std::int64_t expires_at) {
  PendingSession s;
  const auto now = app.now();
  s.record.jti = auth::newId();
  s.record.provider_id = provider;
  s.record.admin_id = admin;
  s.record.kind = kind;
  s.record.mfa = mfa;
  s.record.created = now;
  s.record.expires_at = expires_at;
  s.claims.admin_id = admin;
  s.claims.provider_id = provider;
  s.claims.jti = s.record.jti;
  s.claims.mfa = mfa;
  s.claims.scope = kind == model::SessionKind::kMfaEnroll ? auth::TokenScope::kMfaEnroll
                                                          : auth::TokenScope::kFull;
  s.claims.iat = now;
  s.claims.exp = expires_at;
  return s;
}

IssuedSession issue(AppContext& app, const PendingSession& s, model::AdminRecord admin) {
  IssuedSession out;
  out.token = app.tokens().issue(s.claims);
  out.expires_in = s.claims.exp - s.claims.iat;
  out.scope = s.claims.scope;
  out.mfa = s.claims.mfa;
  out.admin = std::move(admin);
  return out;
}

// One login candidate with what deciding needs.
struct Candidate {
  model::LoginCandidate who;
  model::AdminCredentials cred;
  model::AdminRecord admin;
  bool provider_requires_mfa = false;
  auth::PasswordStatus pw = auth::PasswordStatus::kMismatch;
};

}  // namespace

// ------------------------------------------------------------------------------ login

Result<IssuedSession> SessionService::login(const LoginInput& in) {
  const auto now = app_.now();
  auto found = app_.store().query([&](Tx& tx) -> Result<std::vector<Candidate>> {
    std::vector<Candidate> out;
    if (in.email.empty()) return out;
    auto who = tx.findAdminsByEmail(in.email);
    if (!who) return fail(who.error());
    for (const auto& w : *who) {
      const model::TenantScope scope{w.provider_id};
      Candidate c;
      c.who = w;
      auto cred = tx.getAdminCredentials(scope, w.admin_id);
      if (!cred) return fail(cred.error());
      auto admin = tx.getAdmin(scope, w.admin_id);
      if (!admin) return fail(admin.error());
      auto provider = tx.getProvider(scope);
      if (!provider) return fail(provider.error());
      c.cred = std::move(*cred);
      c.admin = std::move(*admin);
      c.provider_requires_mfa = provider->require_admin_mfa;
      out.push_back(std::move(c));
    }
    return out;
  });
  if (!found) return fail(found.error());
  std::vector<Candidate>& candidates = *found;

  if (candidates.empty()) {
    // No tenant to write an event to: the same work and the same answer as a wrong password.
    auto s = app_.passwords().verifyDummy(in.password);
    if (s == auth::PasswordStatus::kBusy) return fail(busy());
    return fail(Status::unauthenticated(kBadLogin));
  }

  for (auto& c : candidates) {
    c.pw = c.cred.password_hash ? app_.passwords().verify(*c.cred.password_hash, in.password)
                                : app_.passwords().verifyDummy(in.password);
    if (c.pw == auth::PasswordStatus::kBusy || c.pw == auth::PasswordStatus::kError)
      return fail(hasherError(c.pw));
  }

  Candidate* winner = nullptr;
  for (auto& c : candidates) {
    if (c.pw == auth::PasswordStatus::kOk && c.cred.password_hash &&
        c.cred.status == model::AdminStatus::kActive && !lockedAt(c.cred.locked_until, now)) {
      winner = &c;
      break;
    }
  }

  if (!winner) {
    auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
      for (const auto& c : candidates) {
        Actor a = loginActor(c.who.provider_id, c.who.admin_id, c.admin.email, in.client_ip);
        // Only a wrong password against a usable account counts: a locked account is not
        // locked longer, a pending or suspended one has nothing to protect.
        if (c.pw != auth::PasswordStatus::kOk && c.cred.status == model::AdminStatus::kActive &&
            !lockedAt(c.cred.locked_until, now)) {
          if (auto r = countFailure(tx, app_, a); !r) return r;
        }
        if (auto r = tx.appendActivity(a.scope(), loginAttempt(a, false)); !r)
          return fail(r.error());
      }
      return {};
    });
    if (!done) return fail(done.error());
    return fail(Status::unauthenticated(kBadLogin));
  }

  Candidate& w = *winner;
  Actor actor = loginActor(w.who.provider_id, w.who.admin_id, w.admin.email, in.client_ip);
  const bool mfa_required = w.provider_requires_mfa || w.admin.enable_multi_factor;
  const bool enrolled = w.cred.totp_enrolled && w.cred.totp_secret.has_value();
  const bool has_code = in.totp.has_value() && !in.totp->empty();

  enum class Mfa { kNotChecked, kMissing, kWrong, kVerified, kEnrollOnly };
  Mfa mfa = Mfa::kNotChecked;
  std::optional<std::int64_t> step;
  if (mfa_required && !enrolled) {
    mfa = Mfa::kEnrollOnly;
  } else if (enrolled && (mfa_required || has_code)) {
    if (!has_code) {
      mfa = Mfa::kMissing;
    } else {
      auto secret = openTotpSecret(app_, *w.cred.totp_secret);
      if (secret)
        step = auth::totp::verify(*secret, *in.totp, static_cast<std::time_t>(now),
                                  w.cred.totp_last_step.value_or(-1));
      mfa = step ? Mfa::kVerified : Mfa::kWrong;
    }
  }

  // Rehash with today's limits after a good password (best effort: not when busy).
  std::optional<std::string> rehash;
  if (auth::PasswordHasher::needsRehash(*w.cred.password_hash)) {
    auto h = app_.passwords().hash(in.password);
    if (h) rehash = std::move(*h);
  }

  const bool enroll_only = mfa == Mfa::kEnrollOnly;
  const std::int64_t ttl =
      enroll_only ? app_.config().mfa_enroll_ttl.count() : app_.config().session_ttl.count();
  PendingSession session =
      newSession(app_, w.who.provider_id, w.who.admin_id,
                 enroll_only ? model::SessionKind::kMfaEnroll : model::SessionKind::kFull,
                 mfa == Mfa::kVerified, now + ttl);

  const model::TenantScope scope{w.who.provider_id};
  Mfa decided = mfa;
  auto outcome = app_.store().transact([&](Tx& tx) -> Result<bool> {
    Mfa m = mfa;  // the unit of work may run again after a lost connection: no state kept
    bool ok = m != Mfa::kMissing && m != Mfa::kWrong;
    if (m == Mfa::kVerified) {
      // A code is good once: the step is taken atomically, a replay finds it taken.
      auto accepted = tx.acceptTotpStep(scope, w.who.admin_id, *step);
      if (!accepted) return fail(accepted.error());
      if (!*accepted) {
        m = Mfa::kWrong;
        ok = false;
      }
    }
    decided = m;
    if (!ok) {
      if (m == Mfa::kWrong) {
        if (auto r = countFailure(tx, app_, actor); !r) return fail(r.error());
      }
      if (auto r = tx.appendActivity(scope, loginAttempt(actor, false)); !r) return fail(r.error());
      return false;
    }
    if (w.cred.failed_logins != 0 || w.cred.locked_until) {
      if (auto r = tx.clearFailedLogins(scope, w.who.admin_id); !r) return fail(r.error());
    }
    if (rehash) {
      if (auto r = tx.setPasswordHash(scope, w.who.admin_id, *rehash); !r) return fail(r.error());
    }
    if (auto r = tx.createSession(scope, session.record); !r) return fail(r.error());
    if (auto r = tx.appendActivity(scope, loginAttempt(actor, true)); !r) return fail(r.error());
    return true;
  });
  if (!outcome) return fail(outcome.error());
  if (!*outcome) {
    return fail(Status::mfaRequired(decided == Mfa::kMissing
                                              ? "a TOTP code is required"
                                              : "invalid TOTP code"));
  }
  w.admin.failed_logins = 0;
  w.admin.locked_until.reset();
  return issue(app_, session, std::move(w.admin));
}

// ------------------------------------------------------------------------------ logout, me

Result<void> SessionService::logout(const Actor& actor) {
  if (actor.session_jti.empty())
    return fail(Status::invalidArgument("an API key has no session to end; replace the key to revoke it"));
  const auto scope = actor.scope();
  auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
    auto admin = tx.getAdmin(scope, actor.admin_id);
    if (!admin) return fail(admin.error());
    Actor a = actor;
    a.email = admin->email;
    if (auto r = tx.revokeSession(scope, actor.session_jti, app_.now()); !r) return r;
    auto r = tx.appendActivity(scope, selfEvent(a, "admin_logout"));
    if (!r) return fail(r.error());
    return {};
  });
  if (!done) return fail(done.error());
  app_.credentials().forgetSession(actor.session_jti);
  return {};
}

Result<Profile> SessionService::profile(const Actor& actor, const Authorization& authz) {
  const auto scope = actor.scope();
  const auto now = app_.now();
  Profile p;
  auto read = app_.store().query([&](Tx& tx) -> Result<void> {
    auto admin = tx.getAdmin(scope, actor.admin_id);
    if (!admin) return fail(admin.error());
    auto grants = tx.listGrants(scope, actor.admin_id);
    if (!grants) return fail(grants.error());
    p.admin = std::move(*admin);
    p.grants.clear();
    for (auto& g : *grants) {
      if (g.expires_at && *g.expires_at <= now) continue;
      p.grants.push_back(std::move(g));
    }
    return {};
  });
  if (!read) return fail(read.error());

  // On the request's own snapshot and context (auth method, MFA, client IP, time), as if the
  // credential were unscoped (the list the profile has always shown).
  const engine::ActionSet set = authz.heldActions("", false);
  const auto actions = engine::allActions();
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (set.has(static_cast<engine::ActionId>(i))) p.actions.emplace_back(actions[i].name);
  }
  return p;
}

// ------------------------------------------------------------------------------ links

namespace {

// What a consumed link does to the admin, inside the transaction that consumed it.
using LinkEffect = std::function<Result<void>(Tx&, const model::TenantScope&,
                                              model::AdminRecord&, Actor&)>;

Result<void> consumeLink(AppContext& app, const std::string& token, model::TokenKind kind,
                            const std::string& client_ip, const LinkEffect& effect) {
  if (token.empty()) return fail(Status::invalidArgument(kBadToken));
  const std::string hash = hashOneTimeToken(token);
  std::string revoked_admin;
  auto done = app.store().transact([&](Tx& tx) -> Result<void> {
    auto t = tx.consumeToken(hash, kind, app.now());
    if (!t) {
      if (t.error().isNotFound()) return fail(Status::invalidArgument(kBadToken));
      return fail(t.error());
    }
    const model::TenantScope scope{t->provider_id};
    auto admin = tx.getAdmin(scope, t->admin_id);
    if (!admin) {
      if (admin.error().isNotFound()) return fail(Status::invalidArgument(kBadToken));
      return fail(admin.error());
    }
    Actor a;
    a.admin_id = admin->id;
    a.provider_id = admin->provider_id;
    a.email = admin->email;
    a.client_ip = client_ip;
    revoked_admin = admin->id;
    return effect(tx, scope, *admin, a);
  });
  if (!done) return fail(done.error());
  app.credentials().forgetAdmin(revoked_admin);  // a link may have revoked sessions
  return {};
}

model::ActivityRecord linkEvent(const Actor& a, std::string type, const std::vector<Change>& changes,
                                std::string_view method) {
  auto e = activityEvent(a, std::move(type), "admin", a.admin_id, changes);
  e.auth_method = std::string(method);
  return e;
}

}  // namespace

Result<void> SessionService::activate(const std::string& token, const std::string& password,
                                         const std::string& client_ip) {
  if (auto bad = auth::checkPasswordPolicy(password)) return fail(Status::invalidArgument(*bad));
  auto hash = app_.passwords().hash(password);
  if (!hash) return fail(hasherError(hash.error()));
  auto done = consumeLink(
      app_, token, model::TokenKind::kActivation, client_ip,
      [&](Tx& tx, const model::TenantScope& scope, model::AdminRecord& admin, Actor& a) -> Result<void> {
        // Only a pending admin activates: a suspended one stays suspended.
        if (admin.status != model::AdminStatus::kPending)
          return fail(Status::invalidArgument(kBadToken));
        admin.status = model::AdminStatus::kActive;
        if (auto r = tx.updateAdmin(scope, admin); !r) return r;
        if (auto r = tx.setPasswordHash(scope, admin.id, *hash); !r) return r;
        auto e = linkEvent(a, "admin_update", {{"status", "pending", "active"}, {"password", "", "set"}},
                           "activation_link");
        if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
        return {};
      });
  if (!done) return done;
  // The admin's status is a directory fact: the very next request must see them active.
  app_.refreshAfterCommit();
  return {};
}

Result<void> SessionService::resetPassword(const std::string& token, const std::string& password,
                                              const std::string& client_ip) {
  if (auto bad = auth::checkPasswordPolicy(password)) return fail(Status::invalidArgument(*bad));
  auto hash = app_.passwords().hash(password);
  if (!hash) return fail(hasherError(hash.error()));
  return consumeLink(
      app_, token, model::TokenKind::kPasswordReset, client_ip,
      [&](Tx& tx, const model::TenantScope& scope, model::AdminRecord& admin, Actor& a) -> Result<void> {
        if (admin.status == model::AdminStatus::kSuspended)
          return fail(Status::invalidArgument(kBadToken));
        if (auto r = tx.setPasswordHash(scope, admin.id, *hash); !r) return r;
        // Proving the mailbox ends a lock-out; every session made with the old password ends.
        if (auto r = tx.clearFailedLogins(scope, admin.id); !r) return r;
        if (auto r = tx.revokeAdminSessions(scope, admin.id, app_.now()); !r) return fail(r.error());
        auto e = linkEvent(a, "admin_update", {{"password", "", "reset"}}, "password_reset_link");
        if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
        return {};
      });
}

Result<void> SessionService::resetTotp(const std::string& token, const std::string& client_ip) {
  return consumeLink(
      app_, token, model::TokenKind::kTotpReset, client_ip,
      [&](Tx& tx, const model::TenantScope& scope, model::AdminRecord& admin, Actor& a) -> Result<void> {
        if (admin.status == model::AdminStatus::kSuspended)
          return fail(Status::invalidArgument(kBadToken));
        if (auto r = tx.setTotpSecret(scope, admin.id, std::nullopt); !r) return r;
        if (auto r = tx.revokeAdminSessions(scope, admin.id, app_.now()); !r) return fail(r.error());
        auto e = linkEvent(a, "admin_update",
                           {{"totpEnrolled", admin.totp_enrolled ? "true" : "false", "false"}},
                           "totp_reset_link");
        if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
        return {};
      });
}

// ------------------------------------------------------------------------------ TOTP

Result<TotpEnrollment> SessionService::startTotpEnrollment(const Actor& actor) {
  const auto scope = actor.scope();
  TotpEnrollment out;
  out.secret = auth::totp::generateSecret();
  auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
    auto admin = tx.getAdmin(scope, actor.admin_id);
    if (!admin) return fail(admin.error());
    if (admin->totp_enrolled && !actor.mfa)
      return fail(Status::conflict(
          "TOTP is already enrolled; sign in with it to re-enroll, or ask for a TOTP reset"));
    if (auto r = tx.setTotpSecret(scope, actor.admin_id, sealTotpSecret(app_, out.secret)); !r) return r;
    Actor a = actor;
    a.email = admin->email;
    out.otpauth_uri = auth::totp::otpauthUri(app_.config().issuer, admin->email, out.secret);
    auto e = selfEvent(a, "admin_update",
                       {{"totpEnrolled", admin->totp_enrolled ? "true" : "false", "false"},
                        {"totp", "", "enrollment_started"}});
    if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<TotpConfirmation> SessionService::confirmTotp(const Actor& actor, const std::string& code) {
  const auto scope = actor.scope();
  const auto now = app_.now();
  struct Read {
    model::AdminCredentials cred;
    model::AdminRecord admin;
    std::optional<model::SessionRecord> session;
  };
  auto read = app_.store().query([&](Tx& tx) -> Result<Read> {
    Read r;
    auto cred = tx.getAdminCredentials(scope, actor.admin_id);
    if (!cred) return fail(cred.error());
    auto admin = tx.getAdmin(scope, actor.admin_id);
    if (!admin) return fail(admin.error());
    r.cred = std::move(*cred);
    r.admin = std::move(*admin);
    if (!actor.session_jti.empty()) {
      auto s = tx.getSession(scope, actor.session_jti);
      if (!s) return fail(s.error());
      r.session = std::move(*s);
    }
    return r;
  });
  if (!read) return fail(read.error());
  if (!read->cred.totp_secret)
    return fail(Status::preconditionFailed("no TOTP enrollment in progress"));
  if (read->cred.totp_enrolled) return fail(Status::conflict("TOTP is already enrolled"));
  auto secret = openTotpSecret(app_, *read->cred.totp_secret);
  if (!secret) return fail(Status::internal());
  auto step = auth::totp::verify(*secret, code, static_cast<std::time_t>(now),
                                 read->cred.totp_last_step.value_or(-1));
  if (!step) return fail(Status::invalidArgument("invalid TOTP code"));

  const bool upgrade = read->session && read->session->kind == model::SessionKind::kMfaEnroll;
  std::optional<PendingSession> fresh;
  if (upgrade) {
    fresh = newSession(app_, actor.provider_id, actor.admin_id, model::SessionKind::kFull, true,
                       now + app_.config().session_ttl.count());
  }
  Actor a = actor;
  a.email = read->admin.email;
  auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
    auto accepted = tx.acceptTotpStep(scope, actor.admin_id, *step);
    if (!accepted) return fail(accepted.error());
    if (!*accepted) return fail(Status::invalidArgument("invalid TOTP code"));
    if (auto r = tx.setTotpEnrolled(scope, actor.admin_id, true); !r) return r;
    if (fresh) {
      if (auto r = tx.revokeSession(scope, actor.session_jti, now); !r) return r;
      if (auto r = tx.createSession(scope, fresh->record); !r) return r;
    }
    auto e = selfEvent(a, "admin_update", {{"totpEnrolled", "false", "true"}});
    if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
    return {};
  });
  if (!done) return fail(done.error());
  app_.credentials().forgetSession(actor.session_jti);
  TotpConfirmation out;
  if (fresh) {
    read->admin.totp_enrolled = true;
    out.session = issue(app_, *fresh, std::move(read->admin));
  }
  return out;
}

// ------------------------------------------------------------------------------ password, key

Result<std::optional<IssuedSession>> SessionService::changePassword(const Actor& actor,
                                                                       const std::string& current,
                                                                       const std::string& next) {
  const auto scope = actor.scope();
  const auto now = app_.now();
  struct Read {
    model::AdminCredentials cred;
    model::AdminRecord admin;
    std::optional<model::SessionRecord> session;
  };
  auto read = app_.store().query([&](Tx& tx) -> Result<Read> {
    Read r;
    auto cred = tx.getAdminCredentials(scope, actor.admin_id);
    if (!cred) return fail(cred.error());
    auto admin = tx.getAdmin(scope, actor.admin_id);
    if (!admin) return fail(admin.error());
    r.cred = std::move(*cred);
    r.admin = std::move(*admin);
    if (!actor.session_jti.empty()) {
      auto s = tx.getSession(scope, actor.session_jti);
      if (!s) return fail(s.error());
      r.session = std::move(*s);
    }
    return r;
  });
  if (!read) return fail(read.error());
  Actor a = actor;
  a.email = read->admin.email;

  auto pw = read->cred.password_hash ? app_.passwords().verify(*read->cred.password_hash, current)
                                     : app_.passwords().verifyDummy(current);
  if (pw == auth::PasswordStatus::kBusy || pw == auth::PasswordStatus::kError)
    return fail(hasherError(pw));
  // A locked admin's session cannot change the password (issue 10 item 3): it answers as a
  // wrong current password, whatever the password, as the login does; it is not counted again.
  const bool locked = lockedAt(read->cred.locked_until, now);
  if (pw != auth::PasswordStatus::kOk || locked) {
    // Guessing the password through a session counts like guessing it at login.
    auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
      if (!locked) {
        if (auto r = countFailure(tx, app_, a); !r) return r;
      }
      auto r = tx.appendActivity(scope, selfEvent(a, "admin_update", {{"password", "", ""}}, false));
      if (!r) return fail(r.error());
      return {};
    });
    if (!done) return fail(done.error());
    return fail(Status::invalidArgument("current password is incorrect"));
  }
  if (auto bad = auth::checkPasswordPolicy(next)) return fail(Status::invalidArgument(*bad));
  if (next == current) return fail(Status::invalidArgument("the new password must differ from the current one"));
  auto hash = app_.passwords().hash(next);
  if (!hash) return fail(hasherError(hash.error()));

  std::optional<PendingSession> fresh;
  if (read->session) {
    const auto& s = *read->session;
    fresh = newSession(app_, actor.provider_id, actor.admin_id, s.kind, s.mfa,
                       s.expires_at > now ? s.expires_at : now + 60);
  }
  auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
    if (auto r = tx.setPasswordHash(scope, actor.admin_id, *hash); !r) return r;
    if (auto r = tx.revokeAdminSessions(scope, actor.admin_id, now); !r) return fail(r.error());
    if (fresh) {
      if (auto r = tx.createSession(scope, fresh->record); !r) return r;
    }
    auto r = tx.appendActivity(scope, selfEvent(a, "admin_update", {{"password", "", "changed"}}));
    if (!r) return fail(r.error());
    return {};
  });
  if (!done) return fail(done.error());
  app_.credentials().forgetAdmin(actor.admin_id);  // every other session ended
  if (!fresh) return std::optional<IssuedSession>{};
  return std::optional<IssuedSession>{issue(app_, *fresh, std::move(read->admin))};
}

Result<std::string> SessionService::newApiKey(const Actor& actor) {
  const auto scope = actor.scope();
  auth::GeneratedApiKey key = auth::generateApiKey();
  const std::string hash = app_.apiKeys().hash(key.key);
  auto done = app_.store().transact([&](Tx& tx) -> Result<void> {
    auto admin = tx.getAdmin(scope, actor.admin_id);
    if (!admin) return fail(admin.error());
    Actor a = actor;
    a.email = admin->email;
    auto id = tx.replaceApiKey(scope, actor.admin_id, key.prefix, hash);
    if (!id) return fail(id.error());
    auto e = selfEvent(a, "admin_update",
                       {{"apiKeySet", admin->api_key_set ? "true" : "false", "true"}});
    if (auto r = tx.appendActivity(scope, e); !r) return fail(r.error());
    return {};
  });
  if (!done) return fail(done.error());
  app_.credentials().forgetAdmin(actor.admin_id);  // the old key stops now
  return key.key;
}

}  // namespace mtp::app
