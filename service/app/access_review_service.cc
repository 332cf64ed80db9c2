#include "app/access_review_service.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "app/admin_service.h"
#include "mtp/engine/action.h"

namespace mtp::app {

namespace {

std::vector<std::string> names(engine::ActionSet set) {
  std::vector<std::string> out;
  const auto all = engine::allActions();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (set.has(static_cast<engine::ActionId>(i))) out.emplace_back(all[i].name);
  }
  return out;
}

engine::ActionSet minus(engine::ActionSet a, engine::ActionSet b) {
  a.removeAll(b);
  return a;
}

engine::ActionSet intersect(engine::ActionSet a, engine::ActionSet b) {
  return engine::ActionSet::fromBits(a.bits() & b.bits());
}

// THE place where the review asks the engine (the lead's authorization refactor adapts it
// here): the admin's effective actions, for the provider and for each org of `orgs`, by the
// Snapshot's reverse query, with the review's assumed request (a session with MFA, now, no
// client address), and what the role there holds, to tell role from policy.
struct OrgQuestion {
  std::string org_id;
  std::string role;  // the role that applies there
};
struct EngineAnswer {
  engine::ActionSet provider;
  std::vector<std::pair<engine::ActionSet, engine::ActionSet>> orgs;  // (effective, role's)
};

EngineAnswer evaluateAdmin(const engine::Snapshot& snapshot, const std::string& admin_id,
                           const std::vector<OrgQuestion>& orgs, std::int64_t now) {
  engine::RequestContext ctx;
  ctx.auth_method = engine::AuthMethod::kSession;
  ctx.mfa = true;
  ctx.client_ip = std::nullopt;
  ctx.time = now;
  static const engine::ActionSet kProvider = engine::actionsWithScope(engine::Scope::kProvider);
  static const engine::ActionSet kOrg = engine::actionsWithScope(engine::Scope::kOrg);
  EngineAnswer out;
  out.provider = intersect(snapshot.effectiveActions(admin_id, "", ctx), kProvider);
  const engine::PolicySet& policies = snapshot.policies();
  for (const auto& q : orgs) {
    const engine::ActionSet effective = intersect(snapshot.effectiveActions(admin_id, q.org_id, ctx), kOrg);
    engine::ActionSet role;
    if (auto id = policies.findRole(q.role)) role = intersect(policies.role(*id).actions, kOrg);
    out.orgs.emplace_back(effective, role);
  }
  return out;
}

}  // namespace

Result<AccessReview> buildAccessReview(store::Store& store, const engine::Snapshot& snapshot,
                                          const model::TenantScope& scope, std::int64_t now) {
  std::vector<model::AdminRecord> admins;
  std::vector<store::ReviewOrgRecord> orgs;
  std::vector<model::GrantRecord> grants;
  std::vector<store::LastUseRecord> uses;
  std::vector<store::CertificationRecord> certs;
  auto read = store.query([&](store::Tx& tx) -> Result<void> {
    auto p = tx.getProvider(scope);
    if (!p) return fail(p.error());
    auto a = tx.reviewAdmins(scope);
    if (!a) return fail(a.error());
    auto o = tx.reviewOrganizations(scope);
    if (!o) return fail(o.error());
    auto g = tx.reviewGrants(scope);
    if (!g) return fail(g.error());
    auto u = tx.lastUseByAdminAndOrg(scope);
    if (!u) return fail(u.error());
    auto c = tx.latestCertifications(scope);
    if (!c) return fail(c.error());
    admins = std::move(*a);
    orgs = std::move(*o);
    grants = std::move(*g);
    uses = std::move(*u);
    certs = std::move(*c);
    return {};
  });
  if (!read) return fail(read.error());

  std::map<std::string, std::string> org_names;
  for (const auto& o : orgs) org_names.emplace(o.id, o.name);
  std::map<std::string, std::vector<const model::GrantRecord*>> grants_of;
  for (const auto& g : grants) grants_of[g.admin_id].push_back(&g);
  std::map<std::pair<std::string, std::string>, std::int64_t> last_use;
  for (const auto& u : uses) last_use[{u.admin_id, u.org_id}] = u.at;
  std::map<std::string, const store::CertificationRecord*> cert_of;
  for (const auto& c : certs) cert_of[c.admin_id] = &c;

  AccessReview out;
  out.provider_id = scope.provider_id;
  out.generated_at = now;
  out.policy_version = std::string(snapshot.policyVersion());
  for (auto& admin : admins) {
    ReviewAdmin ra;
    std::map<std::string, const model::GrantRecord*> by_org;
    for (const auto* g : grants_of[admin.id]) by_org.emplace(g->org_id, g);
    // The orgs the admin reaches: every org, or its grants (expired ones too, shown as such).
    std::vector<std::string> reached;
    if (admin.all_organizations) {
      for (const auto& o : orgs) reached.push_back(o.id);
    } else {
      for (const auto& [org, g] : by_org) reached.push_back(org);
      auto name = [&](const std::string& id) -> const std::string& {
        static const std::string kNone;
        auto it = org_names.find(id);
        return it == org_names.end() ? kNone : it->second;
      };
      std::sort(reached.begin(), reached.end(), [&](const std::string& x, const std::string& y) {
        return std::tie(name(x), x) < std::tie(name(y), y);
      });
    }
    std::vector<OrgQuestion> questions;
    for (const auto& org : reached) {
      auto g = by_org.find(org);
      const bool per_org = g != by_org.end() && !g->second->role_name.empty();
      questions.push_back({org, per_org ? g->second->role_name : admin.role_name});
    }
    const EngineAnswer answer = evaluateAdmin(snapshot, admin.id, questions, now);
    ra.provider_actions = names(answer.provider);
    for (std::size_t i = 0; i < reached.size(); ++i) {
      ReviewOrgAccess a;
      a.org_id = reached[i];
      if (auto n = org_names.find(a.org_id); n != org_names.end()) a.org_name = n->second;
      a.reach = admin.all_organizations ? "allOrganizations" : "grant";
      a.role = questions[i].role;
      auto g = by_org.find(a.org_id);
      a.role_source = g != by_org.end() && !g->second->role_name.empty() ? "perOrg" : "default";
      if (g != by_org.end()) {
        a.has_grant = true;
        a.expires_at = g->second->expires_at;
        a.grant_expired = a.expires_at && *a.expires_at <= now;
      }
      const auto& [effective, role] = answer.orgs[i];
      a.actions = names(effective);
      a.policy_permitted = names(minus(effective, role));
      // An expired grant, or an inactive admin, holds nothing: that is not a policy's doing.
      if (!effective.empty()) a.policy_forbidden = names(minus(role, effective));
      if (auto u = last_use.find({admin.id, a.org_id}); u != last_use.end()) a.last_used_at = u->second;
      ra.organizations.push_back(std::move(a));
    }
    if (auto c = cert_of.find(admin.id); c != cert_of.end()) ra.certification = *c->second;
    ra.admin = std::move(admin);
    out.admins.push_back(std::move(ra));
  }
  return out;
}

Result<AccessReview> AccessReviewService::review(const Actor& actor, const Authorization& authz) {
  const engine::Snapshot* snapshot = authz.reportSnapshot();  // held by the request
  if (snapshot == nullptr) return fail(Status::internal());
  return buildAccessReview(app_.store(), *snapshot, actor.scope(), app_.now());
}

Result<store::CertificationRecord> AccessReviewService::certify(Actor actor, const std::string& admin_id,
                                                                   const std::string& note) {
  if (admin_id.empty()) return fail(Status::invalidArgument("adminId is required"));
  if (note.size() > kMaxCertificationNote) {
    return fail(Status::invalidArgument("note is longer than " + std::to_string(kMaxCertificationNote) + " bytes"));
  }
  store::CertificationRecord rec;
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto target = tx.getAdmin(actor.scope(), admin_id);
    if (!target) return fail(target.error());
    auto me = tx.getAdmin(actor.scope(), actor.admin_id);
    if (me) actor.email = me->email;
    rec.admin_id = admin_id;
    rec.certified_by_id = actor.admin_id;
    rec.certified_by_email = actor.email;
    rec.certified_at = app_.now();
    rec.note = note;
    auto id = tx.addCertification(actor.scope(), rec);
    if (!id) return fail(id.error());
    rec.id = *id;
    auto ev = activityEvent(actor, "access_review_certify", "admin", admin_id,
                            {Change{"certification", "", note}});
    auto appended = tx.appendActivity(actor.scope(), ev);
    if (!appended) return fail(appended.error());
    return {};
  });
  if (!done) return fail(done.error());
  return rec;
}

Result<std::vector<RemovalOutcome>> AccessReviewService::removeUnused(Actor actor, int days,
                                                                          const std::vector<std::string>& admin_ids,
                                                                          const Authorization& authz) {
  if (days < 1 || days > kMaxUnusedDays) {
    return fail(Status::invalidArgument("days must be an integer from 1 to " + std::to_string(kMaxUnusedDays)));
  }
  const std::int64_t now = app_.now();
  const std::int64_t cutoff = now - static_cast<std::int64_t>(days) * 86400;
  std::vector<model::AdminRecord> admins;
  std::vector<model::GrantRecord> grants;
  std::vector<store::LastUseRecord> uses;
  auto read = app_.store().query([&](store::Tx& tx) -> Result<void> {
    auto a = tx.reviewAdmins(actor.scope());
    if (!a) return fail(a.error());
    auto g = tx.reviewGrants(actor.scope());
    if (!g) return fail(g.error());
    auto u = tx.lastUseByAdminAndOrg(actor.scope());
    if (!u) return fail(u.error());
    admins = std::move(*a);
    grants = std::move(*g);
    uses = std::move(*u);
    return {};
  });
  if (!read) return fail(read.error());
  std::map<std::pair<std::string, std::string>, std::int64_t> last_use;
  for (const auto& u : uses) last_use[{u.admin_id, u.org_id}] = u.at;

  std::vector<RemovalOutcome> out;
  std::map<std::string, bool> wanted;  // admin id -> is an admin of the provider
  for (const auto& id : admin_ids) wanted.emplace(id, false);
  for (const auto& a : admins) {
    if (auto w = wanted.find(a.id); w != wanted.end()) w->second = true;
  }
  for (const auto& [id, known] : wanted) {
    if (!known) out.push_back(RemovalOutcome{id, "", std::nullopt, Status::notFound("admin not found")});
  }
  AdminService admin_service(app_);
  for (const auto& g : grants) {
    if (!wanted.empty() && !wanted.contains(g.admin_id)) continue;
    std::optional<std::int64_t> used;
    if (auto u = last_use.find({g.admin_id, g.org_id}); u != last_use.end()) used = u->second;
    if (std::max(used.value_or(0), g.created) > cutoff) continue;  // used (or granted) lately
    RemovalOutcome r{g.admin_id, g.org_id, used, std::nullopt};
    if (auto done = admin_service.deleteGrant(actor, g.admin_id, g.org_id, authz); !done) r.error = done.error();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mtp::app
