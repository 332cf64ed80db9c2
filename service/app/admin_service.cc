#include "app/admin_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <span>

#include "app/admin_text.h"
#include "app/one_time_token.h"
#include "auth/password.h"

namespace mtp::app {

namespace {

using model::AdminRecord;
using model::AdminStatus;
using model::GrantRecord;
using model::TokenKind;

// Password-reset and TOTP-reset links are short-lived; activation uses config().activation_ttl.
constexpr std::int64_t kResetTtlSeconds = 3600;

engine::ActionId actionId(std::string_view name) {
  auto id = engine::findAction(name);
  return id ? *id : engine::kNoAction;
}

std::string_view boolText(bool b) { return b ? "true" : "false"; }

std::string grantText(const std::string& org, const std::string& role,
                      const std::optional<std::int64_t>& expires_at) {
  std::string s = org;
  if (!role.empty()) s += " as " + role;
  if (expires_at) s += " until " + formatRfc3339(*expires_at);
  return s;
}

std::string grantText(const GrantRecord& g) { return grantText(g.org_id, g.role_name, g.expires_at); }

// The grants as one sorted, comma-separated text (for an event's from/to).
std::string grantsText(std::vector<GrantRecord> grants) {
  std::sort(grants.begin(), grants.end(),
            [](const GrantRecord& a, const GrantRecord& b) { return a.org_id < b.org_id; });
  std::string s;
  for (const auto& g : grants) s += (s.empty() ? "" : ", ") + grantText(g);
  return s;
}

bool sameGrants(std::vector<GrantRecord> a, std::vector<GrantRecord> b) {
  auto key = [](const GrantRecord& x, const GrantRecord& y) { return x.org_id < y.org_id; };
  std::sort(a.begin(), a.end(), key);
  std::sort(b.begin(), b.end(), key);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].org_id != b[i].org_id || a[i].role_name != b[i].role_name ||
        a[i].expires_at != b[i].expires_at)
      return false;
  }
  return true;
}

void addChange(std::vector<Change>& out, std::string field, std::string from, std::string to) {
  if (from != to) out.push_back(Change{std::move(field), std::move(from), std::move(to)});
}

// Fills the actor's email for the event (the acting admin always exists: the engine just
// allowed it; if it was deleted in between, the event simply has no email).
void loadActorEmail(store::Tx& tx, Actor& actor) {
  auto me = tx.getAdmin(actor.scope(), actor.admin_id);
  if (me) actor.email = me->email;
}

Result<void> appendEvent(store::Tx& tx, const Actor& actor, std::string type,
                                const std::string& admin_id, const std::vector<Change>& changes,
                                std::string organization = {}) {
  auto ev = activityEvent(actor, std::move(type), "admin", admin_id, changes, std::move(organization));
  auto id = tx.appendActivity(actor.scope(), ev);
  if (!id) return fail(id.error());
  return {};
}

// Queues an email with a one-time link; only the token's hash is stored.
Result<void> sendTokenEmail(store::Tx& tx, const AppConfig& config, const AdminRecord& admin,
                                   TokenKind kind, std::int64_t now) {
  const OneTimeToken token = newOneTimeToken();
  const std::int64_t ttl = kind == TokenKind::kActivation
                               ? static_cast<std::int64_t>(config.activation_ttl.count())
                               : kResetTtlSeconds;
  model::TokenRecord rec;
  rec.token_hash = token.hash;
  rec.provider_id = admin.provider_id;
  rec.admin_id = admin.id;
  rec.kind = kind;
  rec.created = now;
  rec.expires_at = now + ttl;
  if (auto ok = tx.createToken(model::TenantScope{admin.provider_id}, rec); !ok) return ok;

  std::string provider_name;
  if (auto p = tx.getProvider(model::TenantScope{admin.provider_id})) provider_name = p->name;
  const std::string where = provider_name.empty() ? "the Multi-Tenant Portal"
                                                  : "the Multi-Tenant Portal of " + provider_name;
  const std::string greeting = "Hello" + (admin.firstname.empty() ? "" : " " + admin.firstname) + ",\n\n";
  const std::string expiry = "This link expires at " + formatRfc3339(rec.expires_at) +
                             " and works once. If you did not expect this email, ignore it.\n";
  model::EmailRecord email;
  email.provider_id = admin.provider_id;
  email.to_address = admin.email;
  switch (kind) {
    case TokenKind::kActivation:
      email.subject = "Activate your administrator account";
      email.body = greeting + "An administrator account was created for you in " + where +
                   ". To activate it, open this link and choose a password:\n\n" +
                   config.public_url + "/activate?token=" + token.token + "\n\n" + expiry;
      break;
    case TokenKind::kPasswordReset:
      email.subject = "Reset your administrator password";
      email.body = greeting + "A password reset was requested for your administrator account in " +
                   where + ". To choose a new password, open:\n\n" + config.public_url +
                   "/password-reset?token=" + token.token + "\n\n" + expiry;
      break;
    case TokenKind::kTotpReset:
      email.subject = "Reset your multi-factor authentication";
      email.body = greeting + "A reset of your TOTP multi-factor authentication was requested for "
                   "your administrator account in " + where + ". To enroll again, open:\n\n" +
                   config.public_url + "/totp-reset?token=" + token.token + "\n\n" + expiry;
      break;
  }
  auto queued = tx.enqueueEmail(model::TenantScope{admin.provider_id}, email);
  if (!queued) return fail(queued.error());
  return {};
}

}  // namespace

// ---- checks shared by create, update and grants

namespace {

std::optional<Status> checkRole(const Authorization& authz, const std::string& role, std::string_view field) {
  if (role.empty()) return Status::invalidArgument(std::string(field) + " is required");
  const engine::PolicySet* policies = authz.policies();
  if (policies == nullptr) return Status::internal();
  if (!policies->findRole(role))
    return Status::invalidArgument(std::string(field) + " `" + role + "` is not a known role");
  return std::nullopt;
}

std::optional<Status> checkGrantShapes(const Authorization& authz, const std::vector<GrantInput>& grants,
                                         std::int64_t now) {
  std::set<std::string> seen;
  for (const auto& g : grants) {
    if (g.organization.empty()) return Status::invalidArgument("organizations[].organization is required");
    if (!seen.insert(g.organization).second)
      return Status::invalidArgument("organization `" + g.organization + "` is listed twice");
    if (!g.role.empty()) {
      if (auto e = checkRole(authz, g.role, "organizations[].roleName")) return e;
    }
    if (g.expires_at && *g.expires_at <= now)
      return Status::invalidArgument("organizations[].expiresAt must be in the future");
  }
  return std::nullopt;
}

// Every org must be one of the actor's provider: another provider's org answers exactly as a
// missing one.
Result<void> requireOrgs(store::Tx& tx, const model::TenantScope& scope,
                                const std::vector<GrantInput>& grants) {
  for (const auto& g : grants) {
    auto org = tx.getOrganization(scope, g.organization);
    if (!org) {
      if (org.error().isNotFound())
        return fail(Status::invalidArgument("unknown organization `" + g.organization + "`"));
      return fail(org.error());
    }
  }
  return {};
}

std::vector<GrantRecord> toRecords(const std::string& admin_id, const std::vector<GrantInput>& in,
                                   std::int64_t now) {
  std::vector<GrantRecord> out;
  out.reserve(in.size());
  for (const auto& g : in) out.push_back(GrantRecord{admin_id, g.organization, g.role, g.expires_at, now});
  return out;
}

}  // namespace

// ---- reads

Result<model::Page<AdminRecord>> AdminService::list(const Actor& actor, const model::ListQuery& query) {
  auto page = app_.store().query([&](store::Tx& tx) { return tx.listAdmins(actor.scope(), query); });
  if (!page) return fail(page.error());
  return std::move(*page);
}

Result<AdminDetails> AdminService::get(const Actor& actor, const std::string& id) {
  auto details = app_.store().query([&](store::Tx& tx) -> Result<AdminDetails> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    auto g = tx.listGrants(actor.scope(), id);
    if (!g) return fail(g.error());
    return AdminDetails{std::move(*a), std::move(*g)};
  });
  if (!details) return fail(details.error());
  return std::move(*details);
}

Result<std::vector<GrantRecord>> AdminService::listGrants(const Actor& actor, const std::string& id) {
  auto details = get(actor, id);
  if (!details) return fail(details.error());
  return std::move(details->grants);
}

// ---- create

Result<AdminDetails> AdminService::create(Actor actor, const NewAdmin& in, const Authorization& authz) {
  const std::int64_t now = app_.now();
  if (auto e = checkEmailShape(in.email)) return fail(Status::invalidArgument(*e));
  if (auto e = checkNameShape("firstname", in.firstname)) return fail(Status::invalidArgument(*e));
  if (auto e = checkNameShape("lastname", in.lastname)) return fail(Status::invalidArgument(*e));
  if (auto e = checkRole(authz, in.role_name, "roleName")) return fail(*e);
  if (auto e = checkGrantShapes(authz, in.organizations, now)) return fail(*e);
  if (in.password) {
    if (auto e = auth::checkPasswordPolicy(*in.password)) return fail(Status::invalidArgument(*e));
  }
  auto orgs = app_.store().query([&](store::Tx& tx) { return requireOrgs(tx, actor.scope(), in.organizations); });
  if (!orgs) return fail(orgs.error());
  // Issue 10 item 10: while the provider requires MFA of every admin, a new admin's own flag is
  // set too (so it stays required if the global requirement is turned off later).
  auto provider = app_.store().query([&](store::Tx& tx) { return tx.getProvider(actor.scope()); });
  if (!provider) return fail(provider.error());

  // The engine, before anything is written: the escalation check (and any custom policy on
  // the target), then admins.enable_api when the new admin may hold an API key.
  std::vector<engine::TargetGrant> target_grants;
  for (const auto& g : in.organizations) target_grants.push_back({g.organization, g.role});
  engine::Target target;
  target.present = true;
  target.role = in.role_name;
  target.email = in.email;
  target.all_organizations = in.all_organizations;
  target.organizations = target_grants;
  if (auto ok = authz.requireOn(actionId("admins.create"), target); !ok) return fail(ok.error());
  if (in.api_key_allowed) {
    if (auto ok = authz.requireOn(actionId("admins.enable_api"), engine::Target{}); !ok) return fail(ok.error());
  }

  std::optional<std::string> hash;
  if (in.password) {
    auto h = app_.passwords().hash(*in.password);
    if (!h) {
      if (h.error() == auth::PasswordStatus::kBusy) return fail(Status::unavailable(1));
      return fail(Status::internal());
    }
    hash = std::move(*h);
  }

  AdminRecord rec;
  rec.provider_id = actor.provider_id;
  rec.email = in.email;
  rec.firstname = in.firstname;
  rec.lastname = in.lastname;
  rec.role_name = in.role_name;
  rec.status = in.password ? AdminStatus::kActive : AdminStatus::kPending;
  rec.enable_multi_factor = in.enable_multi_factor || provider->require_admin_mfa;
  rec.api_key_allowed = in.api_key_allowed;
  rec.all_organizations = in.all_organizations;
  rec.created = now;

  auto id = app_.store().transact([&](store::Tx& tx) -> Result<std::string> {
    auto created = tx.createAdmin(actor.scope(), rec, hash);
    if (!created) {
      if (created.error().isConflict())
        return fail(Status::conflict("an administrator with this email already exists"));
      return created;
    }
    AdminRecord made = rec;
    made.id = *created;
    for (const auto& g : toRecords(made.id, in.organizations, now)) {
      if (auto ok = tx.putGrant(actor.scope(), g); !ok) return fail(ok.error());
    }
    if (!in.password) {
      if (auto ok = sendTokenEmail(tx, app_.config(), made, TokenKind::kActivation, now); !ok)
        return fail(ok.error());
    }
    loadActorEmail(tx, actor);
    std::vector<Change> changes;
    addChange(changes, "email", "", rec.email);
    addChange(changes, "firstname", "", rec.firstname);
    addChange(changes, "lastname", "", rec.lastname);
    addChange(changes, "roleName", "", rec.role_name);
    addChange(changes, "status", "", std::string(model::adminStatusText(rec.status)));
    addChange(changes, "enableMultiFactor", "", std::string(boolText(rec.enable_multi_factor)));
    addChange(changes, "apiKeyAllowed", "", std::string(boolText(rec.api_key_allowed)));
    addChange(changes, "allOrganizations", "", std::string(boolText(rec.all_organizations)));
    addChange(changes, "organizations", "", grantsText(toRecords(made.id, in.organizations, now)));
    if (auto ok = appendEvent(tx, actor, "admin_create", made.id, changes); !ok) return fail(ok.error());
    return made.id;
  });
  if (!id) return fail(id.error());
  app_.refreshAfterCommit({AppContext::adminRef(*id)});
  return get(actor, *id);
}

// ---- update

Result<AdminDetails> AdminService::update(Actor actor, const std::string& id, const AdminChanges& ch,
                                             const Authorization& authz, const IfMatch& if_match) {
  for (int attempt = 0;; ++attempt) {
    bool stale = false;
    auto out = updateOnce(actor, id, ch, authz, if_match, &stale);
    if (!stale) return out;
    if (attempt >= 4) return fail(Status::unavailable(1));  // hot row: let the client retry
  }
}

Result<AdminDetails> AdminService::updateOnce(Actor actor, const std::string& id, const AdminChanges& ch,
                                                 const Authorization& authz, const IfMatch& if_match,
                                                 bool* stale) {
  const std::int64_t now = app_.now();
  if (ch.email) {
    if (auto e = checkEmailShape(*ch.email)) return fail(Status::invalidArgument(*e));
  }
  if (ch.firstname) {
    if (auto e = checkNameShape("firstname", *ch.firstname)) return fail(Status::invalidArgument(*e));
  }
  if (ch.lastname) {
    if (auto e = checkNameShape("lastname", *ch.lastname)) return fail(Status::invalidArgument(*e));
  }
  if (ch.role_name) {
    if (auto e = checkRole(authz, *ch.role_name, "roleName")) return fail(*e);
  }
  if (ch.organizations) {
    if (auto e = checkGrantShapes(authz, *ch.organizations, now)) return fail(*e);
  }

  bool provider_requires_mfa = false;  // issue 10 item 10: the own flag is locked on meanwhile
  auto current = app_.store().query([&](store::Tx& tx) -> Result<AdminDetails> {
    auto p = tx.getProvider(actor.scope());
    if (!p) return fail(p.error());
    provider_requires_mfa = p->require_admin_mfa;
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    auto g = tx.listGrants(actor.scope(), id);
    if (!g) return fail(g.error());
    if (ch.organizations) {
      if (auto ok = requireOrgs(tx, actor.scope(), *ch.organizations); !ok) return fail(ok.error());
    }
    return AdminDetails{std::move(*a), std::move(*g)};
  });
  if (!current) return fail(current.error());
  const AdminRecord& before = current->admin;
  if (auto ok = if_match.check(before.version, "the administrator"); !ok) return fail(ok.error());
  if (provider_requires_mfa && ch.enable_multi_factor && !*ch.enable_multi_factor && before.enable_multi_factor)
    return fail(Status::invalidArgument(
        "field `enableMultiFactor` cannot be turned off while the provider requires MFA of every administrator"));

  AdminRecord after = before;
  if (ch.email) after.email = *ch.email;
  if (ch.firstname) after.firstname = *ch.firstname;
  if (ch.lastname) after.lastname = *ch.lastname;
  if (ch.role_name) after.role_name = *ch.role_name;
  if (ch.enable_multi_factor) after.enable_multi_factor = *ch.enable_multi_factor;
  if (ch.api_key_allowed) after.api_key_allowed = *ch.api_key_allowed;
  if (ch.all_organizations) after.all_organizations = *ch.all_organizations;
  const std::vector<GrantRecord> grants_after =
      ch.organizations ? toRecords(id, *ch.organizations, now) : current->grants;
  const bool grants_changed = ch.organizations && !sameGrants(current->grants, grants_after);

  std::vector<Change> changes;
  addChange(changes, "email", before.email, after.email);
  addChange(changes, "firstname", before.firstname, after.firstname);
  addChange(changes, "lastname", before.lastname, after.lastname);
  addChange(changes, "roleName", before.role_name, after.role_name);
  addChange(changes, "enableMultiFactor", std::string(boolText(before.enable_multi_factor)),
            std::string(boolText(after.enable_multi_factor)));
  addChange(changes, "apiKeyAllowed", std::string(boolText(before.api_key_allowed)),
            std::string(boolText(after.api_key_allowed)));
  addChange(changes, "allOrganizations", std::string(boolText(before.all_organizations)),
            std::string(boolText(after.all_organizations)));
  if (grants_changed) addChange(changes, "organizations", grantsText(current->grants), grantsText(grants_after));
  if (changes.empty()) return std::move(*current);  // nothing to change: no write, no event

  // The escalation check on the admin as it is (nobody edits an admin beyond their reach) and
  // as it would be: its role, its reach, its live grants.
  if (auto ok = mayActOnAdmin(actionId("admins.update"), before, current->grants, now, authz); !ok)
    return fail(ok.error());
  if (auto ok = mayActOnAdmin(actionId("admins.update"), after, grants_after, now, authz); !ok)
    return fail(ok.error());
  if (after.api_key_allowed != before.api_key_allowed) {
    if (auto ok = authz.requireOn(actionId("admins.enable_api"), engine::Target{}); !ok) return fail(ok.error());
  }

  const engine::PolicySet* policies = authz.policies();  // the roles the billing rule reads
  if (policies == nullptr) return fail(Status::internal());
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    // The row as it is now, held until the commit: `after` was computed from `before`.
    auto held = tx.getAdmin(actor.scope(), id);
    if (!held) return fail(held.error());
    if (auto ok = if_match.check(held->version, "the administrator"); !ok) return ok;
    if (held->version != before.version) {
      *stale = true;
      return fail(Status::unavailable(2, "service unavailable: the administrator changed meanwhile"));
    }
    if (auto ok = keepBillingAdmin(tx, *policies, actor.scope(), before, after); !ok) return ok;
    if (auto ok = tx.updateAdmin(actor.scope(), after); !ok) {
      if (ok.error().isConflict())
        return fail(Status::conflict("an administrator with this email already exists"));
      return ok;
    }
    if (grants_changed) {
      if (auto ok = tx.replaceGrants(actor.scope(), id, grants_after); !ok) return ok;
    }
    if (before.api_key_allowed && !after.api_key_allowed) {
      if (auto ok = tx.revokeApiKeys(actor.scope(), id); !ok) return ok;
    }
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_update", id, changes);
  });
  if (!done) return fail(done.error());
  app_.credentials().forgetAdmin(id);  // its revoked sessions and keys stop here at once
  app_.refreshAfterCommit({AppContext::adminRef(id)});
  return get(actor, id);
}

// ---- delete

Result<void> AdminService::remove(Actor actor, const std::string& id, const Authorization& authz,
                                     const IfMatch& if_match) {
  if (id == actor.admin_id) return fail(Status::invalidArgument("an administrator cannot delete their own account"));
  const std::int64_t now = app_.now();
  if (auto ok = checkTarget(actor, id, "admins.delete", authz); !ok) return fail(ok.error());
  const engine::PolicySet* policies = authz.policies();  // the roles the billing rule reads
  if (policies == nullptr) return fail(Status::internal());
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    if (auto ok = if_match.check(a->version, "the administrator"); !ok) return ok;
    if (auto ok = keepBillingAdmin(tx, *policies, actor.scope(), *a, std::nullopt); !ok) return ok;
    if (auto ok = tx.revokeAdminSessions(actor.scope(), id, now); !ok) return fail(ok.error());
    if (auto ok = tx.revokeApiKeys(actor.scope(), id); !ok) return ok;
    loadActorEmail(tx, actor);
    std::vector<Change> changes;
    addChange(changes, "email", a->email, "");
    addChange(changes, "roleName", a->role_name, "");
    addChange(changes, "status", std::string(model::adminStatusText(a->status)), "deleted");
    // The event first: it names the admin, and nothing in it refers to the row.
    if (auto ok = appendEvent(tx, actor, "admin_delete", id, changes); !ok) return ok;
    return tx.deleteAdmin(actor.scope(), id);
  });
  if (!done) return fail(done.error());
  app_.credentials().forgetAdmin(id);  // its revoked sessions and keys stop here at once
  app_.refreshAfterCommit({AppContext::adminRef(id)});
  return {};
}

// ---- account actions

// The escalation check of `action` on admin `id` as it is now (kNotFound outside the provider).
Result<void> AdminService::checkTarget(const Actor& actor, const std::string& id, std::string_view action,
                                          const Authorization& authz) {
  auto current = get(actor, id);
  if (!current) return fail(current.error());
  return mayActOnAdmin(actionId(action), current->admin, current->grants, app_.now(), authz);
}

Result<AdminDetails> AdminService::suspend(Actor actor, const std::string& id, const Authorization& authz) {
  if (id == actor.admin_id) return fail(Status::invalidArgument("an administrator cannot suspend their own account"));
  const std::int64_t now = app_.now();
  if (auto ok = checkTarget(actor, id, "admins.suspend", authz); !ok) return fail(ok.error());
  const engine::PolicySet* policies = authz.policies();  // the roles the billing rule reads
  if (policies == nullptr) return fail(Status::internal());
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    if (a->status == AdminStatus::kSuspended) return fail(Status::conflict("the administrator is already suspended"));
    const std::string from(model::adminStatusText(a->status));
    AdminRecord after = *a;
    after.status = AdminStatus::kSuspended;
    if (auto ok = keepBillingAdmin(tx, *policies, actor.scope(), *a, after); !ok) return ok;
    a->status = AdminStatus::kSuspended;
    if (auto ok = tx.updateAdmin(actor.scope(), *a); !ok) return ok;
    if (auto ok = tx.revokeAdminSessions(actor.scope(), id, now); !ok) return fail(ok.error());
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_suspended", id, {Change{"status", from, "suspended"}});
  });
  if (!done) return fail(done.error());
  app_.credentials().forgetAdmin(id);  // its revoked sessions and keys stop here at once
  app_.refreshAfterCommit({AppContext::adminRef(id)});
  return get(actor, id);
}

Result<AdminDetails> AdminService::restore(Actor actor, const std::string& id, const Authorization& authz) {
  if (auto ok = checkTarget(actor, id, "admins.restore", authz); !ok) return fail(ok.error());
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    if (a->status != AdminStatus::kSuspended) return fail(Status::conflict("the administrator is not suspended"));
    // An admin suspended before activating goes back to pending: it still has no password.
    a->status = a->password_set ? AdminStatus::kActive : AdminStatus::kPending;
    if (auto ok = tx.updateAdmin(actor.scope(), *a); !ok) return ok;
    if (auto ok = tx.clearFailedLogins(actor.scope(), id); !ok) return ok;
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_unsuspend", id,
                       {Change{"status", "suspended", std::string(model::adminStatusText(a->status))}});
  });
  if (!done) return fail(done.error());
  app_.refreshAfterCommit({AppContext::adminRef(id)});
  return get(actor, id);
}

Result<void> AdminService::sendPasswordReset(Actor actor, const std::string& id, const Authorization& authz) {
  const std::int64_t now = app_.now();
  if (auto ok = checkTarget(actor, id, "admins.reset_password", authz); !ok) return fail(ok.error());
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    if (a->status == AdminStatus::kSuspended)
      return fail(Status::conflict("the administrator is suspended: restore the account first"));
    const bool pending = a->status == AdminStatus::kPending;
    const TokenKind kind = pending ? TokenKind::kActivation : TokenKind::kPasswordReset;
    if (auto ok = sendTokenEmail(tx, app_.config(), *a, kind, now); !ok) return ok;
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_password_reset", id,
                       {Change{"passwordReset", "", pending ? "activation email sent" : "email sent"}});
  });
  if (!done) return fail(done.error());
  return {};
}

Result<void> AdminService::resetTotp(Actor actor, const std::string& id, bool clear, bool send_email,
                                        const Authorization& authz) {
  if (!clear && !send_email) return fail(Status::invalidArgument("nothing to do: set clear or sendEmail"));
  const std::int64_t now = app_.now();
  if (auto ok = checkTarget(actor, id, "admins.reset_mfa", authz); !ok) return fail(ok.error());
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    std::vector<Change> changes;
    if (clear) {
      if (auto ok = tx.setTotpSecret(actor.scope(), id, std::nullopt); !ok) return ok;
      changes.push_back(Change{"totpEnrolled", std::string(boolText(a->totp_enrolled)), "false"});
    }
    if (send_email) {
      if (auto ok = sendTokenEmail(tx, app_.config(), *a, TokenKind::kTotpReset, now); !ok) return ok;
      changes.push_back(Change{"totpReset", "", "email sent"});
    }
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_totp_reset", id, changes);
  });
  if (!done) return fail(done.error());
  return {};
}

// ---- org access

Result<GrantOutcome> AdminService::putGrant(Actor actor, const std::string& id, const GrantInput& in,
                                               const Authorization& authz) {
  const std::int64_t now = app_.now();
  if (auto e = checkGrantShapes(authz, {in}, now)) return fail(*e);
  bool provider_requires_mfa = false;  // issue 10 item 10: the own flag is locked on meanwhile
  auto current = app_.store().query([&](store::Tx& tx) -> Result<AdminDetails> {
    auto p = tx.getProvider(actor.scope());
    if (!p) return fail(p.error());
    provider_requires_mfa = p->require_admin_mfa;
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    if (auto ok = requireOrgs(tx, actor.scope(), {in}); !ok) return fail(ok.error());
    auto g = tx.listGrants(actor.scope(), id);
    if (!g) return fail(g.error());
    return AdminDetails{std::move(*a), std::move(*g)};
  });
  if (!current) return fail(current.error());

  if (auto ok = mayActOnAdmin(actionId("admins.grant_access"), current->admin, current->grants, now, authz); !ok)
    return fail(ok.error());
  // The escalation check on this grant: the actor must reach the org, and the admin's role
  // there (the grant's, else its default role) must be within the actor's role there.
  const engine::TargetGrant tg{in.organization, in.role};
  engine::Target target;
  target.present = true;
  target.role = current->admin.role_name;
  target.email = current->admin.email;
  target.organizations = std::span<const engine::TargetGrant>(&tg, 1);
  if (auto ok = authz.requireOn(actionId("admins.grant_access"), target); !ok) return fail(ok.error());

  std::optional<GrantRecord> previous;
  for (const auto& g : current->grants) {
    if (g.org_id == in.organization) previous = g;
  }
  GrantRecord grant{id, in.organization, in.role, in.expires_at, now};
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    if (auto ok = tx.putGrant(actor.scope(), grant); !ok) return ok;
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_update", id,
                       {Change{"organizations", previous ? grantText(*previous) : "", grantText(grant)}},
                       in.organization);
  });
  if (!done) return fail(done.error());
  app_.refreshAfterCommit({AppContext::adminRef(id)});
  return GrantOutcome{grant, !previous};
}

Result<void> AdminService::deleteGrant(Actor actor, const std::string& id, const std::string& org,
                                          const Authorization& authz) {
  auto current = get(actor, id);
  if (!current) return fail(current.error());
  if (current->admin.all_organizations) return removeOneOfAllOrgs(std::move(actor), *current, org, authz);
  std::optional<GrantRecord> previous;
  for (const auto& g : current->grants) {
    if (g.org_id == org) previous = g;
  }
  if (!previous) return fail(Status::notFound());
  if (auto ok = mayActOnAdmin(actionId("admins.grant_access"), current->admin, current->grants, app_.now(), authz);
      !ok)
    return fail(ok.error());

  // Removing access is managing that org: the actor must reach it (no role comparison).
  const engine::TargetGrant tg{previous->org_id, {}};
  engine::Target target;
  target.present = true;
  target.email = current->admin.email;
  target.organizations = std::span<const engine::TargetGrant>(&tg, 1);
  if (auto ok = authz.requireOn(actionId("admins.grant_access"), target); !ok) return fail(ok.error());

  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    if (auto ok = tx.deleteGrant(actor.scope(), id, org); !ok) return ok;
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_update", id, {Change{"organizations", grantText(*previous), ""}}, org);
  });
  if (!done) return fail(done.error());
  app_.refreshAfterCommit({AppContext::adminRef(id)});
  return {};
}

// An all-orgs admin removed from one org: their access becomes a grant (default role, no
// expiry) of every other org of the provider, and they no longer follow new orgs
// (docs/policies.md, "Removing an all-orgs admin from one org").
Result<void> AdminService::removeOneOfAllOrgs(Actor actor, const AdminDetails& current,
                                                 const std::string& org, const Authorization& authz) {
  const std::string& id = current.admin.id;
  auto orgs = app_.store().query(
      [&](store::Tx& tx) { return tx.listOrganizationIds(actor.scope()); });
  if (!orgs) return fail(orgs.error());
  if (std::find(orgs->begin(), orgs->end(), org) == orgs->end()) return fail(Status::notFound());
  if (auto ok = mayActOnAdmin(actionId("admins.grant_access"), current.admin, current.grants, app_.now(), authz);
      !ok)
    return fail(ok.error());
  // The escalation check: the actor must reach the org removed and every org granted, and
  // the admin's default role must be within the actor's role in each.
  std::vector<engine::TargetGrant> tgs;
  tgs.reserve(orgs->size());
  tgs.push_back({org, {}});
  for (const auto& o : *orgs) {
    if (o != org) tgs.push_back({o, {}});
  }
  engine::Target target;
  target.present = true;
  target.role = current.admin.role_name;
  target.email = current.admin.email;
  target.organizations = std::span<const engine::TargetGrant>(tgs);
  if (auto ok = authz.requireOn(actionId("admins.grant_access"), target); !ok) return fail(ok.error());

  const auto now = app_.now();
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    if (!a->all_organizations) {
      return fail(Status::conflict("the administrator's access changed meanwhile; retry"));
    }
    auto ids = tx.listOrganizationIds(actor.scope());  // the orgs as of this transaction
    if (!ids) return fail(ids.error());
    model::AdminRecord next = *a;
    next.all_organizations = false;
    if (auto u = tx.updateAdmin(actor.scope(), next); !u) return u;
    std::string granted;
    for (const auto& o : *ids) {
      if (o == org) continue;
      GrantRecord g{id, o, {}, std::nullopt, now};
      if (auto ok = tx.putGrant(actor.scope(), g); !ok) return ok;
      granted += (granted.empty() ? "" : ", ") + grantText(g);
    }
    loadActorEmail(tx, actor);
    return appendEvent(tx, actor, "admin_update", id,
                       {Change{"allOrganizations", "true", "false"},
                        Change{"organizations", "all", granted}},
                       org);
  });
  if (!done) return fail(done.error());
  app_.refreshAfterCommit({AppContext::adminRef(id)});
  return {};
}

// ---- explain

Result<ExplainAnswer> AdminService::explain(const Actor& actor, const std::string& id,
                                               const ExplainQuery& q, const Authorization& authz) {
  const auto action = engine::findAction(q.action);
  if (q.action.empty()) return fail(Status::invalidArgument("action is required"));
  if (!action) return fail(Status::invalidArgument("unknown action `" + q.action + "`"));
  // The admin and the org must be of the actor's provider (else 404, as missing ones).
  auto found = app_.store().query([&](store::Tx& tx) -> Result<void> {
    auto a = tx.getAdmin(actor.scope(), id);
    if (!a) return fail(a.error());
    if (!q.organization.empty()) {
      auto o = tx.getOrganization(actor.scope(), q.organization);
      if (!o) return fail(o.error());
    }
    return {};
  });
  if (!found) return fail(found.error());

  ExplainAnswer out;
  out.time = app_.now();
  out.assumed = q;
  engine::Request r;
  r.admin = id;
  r.action = *action;
  r.organization = q.organization;
  r.provider = actor.provider_id;
  r.auth_method = q.auth_method;
  r.mfa = q.mfa;
  r.client_ip = std::nullopt;
  r.time = out.time;
  auto explained = authz.explain(r);  // decided_by valid while authz (its snapshot) lives
  if (!explained) return fail(Status::internal());
  engine::Explanation& e = *explained;
  out.allowed = e.decision.allowed;
  out.reason = std::string(engine::reasonName(e.decision.reason));
  out.decided_by = std::string(e.decision.decided_by);
  out.trace = std::move(e.trace);
  return out;
}

}  // namespace mtp::app
