#include <algorithm>

#include "authorizer/decide.h"
#include "authorizer/directory_index.h"
#include "mtp/engine/authorizer.h"

namespace mtp::engine {

using detail::DirectoryIndex;
using detail::kNotFound;

Snapshot::Snapshot(std::shared_ptr<const PolicySet> policies, std::unique_ptr<DirectoryIndex> index)
    : policies_(std::move(policies)), index_(std::move(index)) {}

Snapshot::~Snapshot() = default;

Result<std::shared_ptr<const Snapshot>> Snapshot::build(std::shared_ptr<const PolicySet> policies,
                                                        const DirectoryData& directory) {
  if (!policies) return std::unexpected(Status::invalidArgument("no policy set"));
  auto index = DirectoryIndex::build(*policies, directory);
  if (!index) return std::unexpected(index.error());
  return std::make_shared<const Snapshot>(std::move(policies), std::move(*index));
}

// Flattened: the decision inlined here, not a call (its arguments are the snapshot's members).
[[gnu::flatten]] Decision Snapshot::authorize(const Request& request) const noexcept {
  detail::NoTrace t;
  return detail::decide(*policies_, *index_, request, t);
}

Decision Snapshot::authorize(const Request& request, PolicyCoverage& coverage) const noexcept {
  detail::CoverTrace t{&coverage};
  return detail::decide(*policies_, *index_, request, t);
}

Explanation Snapshot::explain(const Request& request) const {
  Explanation e;
  detail::RecordTrace t{&e.trace};
  e.decision = detail::decide(*policies_, *index_, request, t);
  return e;
}

namespace {

Request requestFor(std::string_view admin, ActionId action, std::string_view org,
                   const RequestContext& ctx) {
  Request r;
  r.admin = admin;
  r.action = action;
  r.organization = org;
  r.auth_method = ctx.auth_method;
  r.mfa = ctx.mfa;
  r.session_scope = ctx.session_scope;
  r.launch_org = ctx.launch_org;
  r.client_ip = ctx.client_ip;
  r.time = ctx.time;
  return r;
}

}  // namespace

OrgReach Snapshot::orgsFor(std::string_view admin, ActionId action,
                           const RequestContext& ctx) const {
  OrgReach out;
  const auto a = index_->findAdmin(admin);
  if (a == kNotFound || action >= allActions().size() || actionInfo(action).scope != Scope::kOrg)
    return out;
  const auto& rec = index_->admins[a];
  const auto& prov = index_->providers[rec.provider];
  const auto& cp = policies_->compiled();
  if (ctx.session_scope == SessionScope::kOrgLaunch) {
    // An org launch session reaches its one org at most.
    const auto o = index_->findOrg(ctx.launch_org);
    if (o != kNotFound && authorize(requestFor(admin, action, index_->orgs[o].id, ctx)).allowed)
      out.organizations.push_back(index_->orgs[o].id);
    return out;
  }
  if (rec.all_organizations) {
    // Cheap answer: no custom policy on the action and no per-org role override that could
    // take the action away; then one decision on any org stands for all of them.
    bool uniform = !policies_->hasPoliciesFor(action);
    for (std::uint32_t g = rec.first_grant; uniform && g < rec.first_grant + rec.grant_count; ++g) {
      const auto& gr = index_->grants[g];
      if (gr.role != kNoRole &&
          cp.roles[gr.role].info.actions.has(action) != cp.roles[rec.role].info.actions.has(action))
        uniform = false;
    }
    if (uniform) {
      if (prov.org_count == 0) return out;
      const auto& first = index_->orgs[prov.first_org];
      out.all = authorize(requestFor(admin, action, first.id, ctx)).allowed;
      return out;
    }
    for (std::uint32_t o = prov.first_org; o < prov.first_org + prov.org_count; ++o) {
      const auto& org = index_->orgs[o];
      if (authorize(requestFor(admin, action, org.id, ctx)).allowed)
        out.organizations.push_back(org.id);
    }
    if (out.organizations.size() == prov.org_count && prov.org_count > 0) {
      out.all = true;
      out.organizations.clear();
    }
    return out;
  }
  for (std::uint32_t g = rec.first_grant; g < rec.first_grant + rec.grant_count; ++g) {
    const auto& org = index_->orgs[index_->grants[g].org];
    if (authorize(requestFor(admin, action, org.id, ctx)).allowed)
      out.organizations.push_back(org.id);
  }
  return out;
}

std::vector<std::string_view> Snapshot::adminsFor(std::string_view organization, ActionId action,
                                                  const RequestContext& ctx) const {
  std::vector<std::string_view> out;
  const auto o = index_->findOrg(organization);
  if (o == kNotFound) return out;
  const auto& prov = index_->providers[index_->orgs[o].provider];
  std::vector<std::uint32_t> candidates(prov.all_org_admins);
  candidates.insert(candidates.end(), index_->org_admins.begin() + index_->org_admin_offsets[o],
                    index_->org_admins.begin() + index_->org_admin_offsets[o + 1]);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (auto a : candidates) {
    const auto& id = index_->admins[a].id;
    if (authorize(requestFor(id, action, organization, ctx)).allowed) out.push_back(id);
  }
  return out;
}

ActionSet Snapshot::effectiveActions(std::string_view admin, std::string_view organization,
                                     const RequestContext& ctx) const {
  ActionSet out;
  const auto a = index_->findAdmin(admin);
  if (a == kNotFound) return out;
  const auto& rec = index_->admins[a];
  const auto& cp = policies_->compiled();
  // Without an org, an org-scoped action counts when some role the admin holds has it.
  ActionSet held = cp.roles[rec.role].info.actions;
  for (std::uint32_t g = rec.first_grant; g < rec.first_grant + rec.grant_count; ++g) {
    const auto& gr = index_->grants[g];
    const bool live = !(gr.expires && gr.expires_at <= ctx.time);
    if (live && gr.role != kNoRole) held.addAll(cp.roles[gr.role].info.actions);
  }
  const auto actions = allActions();
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto id = static_cast<ActionId>(i);
    if (actions[i].scope == Scope::kOrg && organization.empty()) {
      if (ctx.session_scope != SessionScope::kFull) {
        // A scoped session: the engine's any-org answer applies the scope.
        Request r = requestFor(admin, id, "", ctx);
        r.any_organization = true;
        if (authorize(r).allowed) out.add(id);
      } else if (held.has(id)) {
        out.add(id);
      }
      continue;
    }
    if (authorize(requestFor(admin, id, organization, ctx)).allowed) out.add(id);
  }
  return out;
}

std::size_t Snapshot::adminCount() const { return index_->admins.size(); }
std::size_t Snapshot::orgCount() const { return index_->orgs.size(); }
std::size_t Snapshot::indexBytes() const { return index_->bytes(); }

}  // namespace mtp::engine
