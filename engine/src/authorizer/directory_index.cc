#include "authorizer/directory_index.h"

#include <algorithm>

namespace mtp::engine::detail {
namespace {

std::string q(std::string_view s) { return "`" + std::string(s) + "`"; }

std::size_t stringBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;  // beyond the small-string buffer
}

// Sorts each policy condition into one evaluated per request or one precomputed per admin or
// per org (up to 64 of each), evaluates the latter and stores their bits in the hot slots.
void buildPlans(const PolicySet& policies, DirectoryIndex& ix) {
  const auto& cp = policies.compiled();
  std::vector<std::uint64_t> admin_bits(ix.admins.size(), 0), org_bits(ix.orgs.size(), 0);
  int principal_count = 0, org_count = 0;
  std::vector<Tri> values;
  auto principalOf = [&](std::uint32_t a) {
    const AdminRec& rec = ix.admins[a];
    return PrincipalView{rec.id,   ix.admin_emails[a], ix.providers[rec.provider].id,
                         rec.role, rec.role,           rec.enable_multi_factor || ix.providers[rec.provider].require_admin_mfa,
                         rec.api_key_allowed, rec.all_organizations};
  };
  auto refOf = [&](const Condition& c) -> CondRef {
    CondRef ref{&c, CondRef::kEval, 0};
    const Depends dep = c.depends();
    if (dep == Depends::kRequest) return ref;
    const bool principal = dep == Depends::kPrincipal;
    if ((principal ? principal_count : org_count) >= 64) {
      ix.plans.needs_names = true;
      return ref;
    }
    const std::size_t n = principal ? ix.admins.size() : ix.orgs.size();
    values.assign(n, Tri::kFalse);
    for (std::uint32_t i = 0; i < n; ++i) {
      EvalContext ctx;
      OrgView org;
      if (principal) {
        ctx.principal = principalOf(i);
      } else {
        org = OrgView{ix.orgs[i].id, ix.org_names[i], ix.org_tags[i]};
        ctx.org = &org;
      }
      values[i] = c.eval(ctx);
      if (values[i] == Tri::kError) {  // not a function of the principal or org alone after all
        ix.plans.needs_names = true;
        return ref;
      }
    }
    const auto bit = static_cast<std::uint8_t>(principal ? principal_count++ : org_count++);
    auto& bits = principal ? admin_bits : org_bits;
    for (std::size_t i = 0; i < n; ++i)
      if (values[i] == Tri::kTrue) bits[i] |= std::uint64_t{1} << bit;
    ref.kind = principal ? CondRef::kPrincipalBit : CondRef::kOrgBit;
    ref.bit = bit;
    return ref;
  };
  ix.plans.by_policy.resize(cp.policies.size());
  for (std::size_t p = 0; p < cp.policies.size(); ++p) {
    for (const auto& c : cp.policies[p].when) ix.plans.by_policy[p].when.push_back(refOf(*c));
    for (const auto& c : cp.policies[p].unless) ix.plans.by_policy[p].unless.push_back(refOf(*c));
    ix.plans.by_policy[p].split();
  }
  ix.admin_bits = std::move(admin_bits);
  ix.org_bits = std::move(org_bits);
}

}  // namespace

Result<std::unique_ptr<DirectoryIndex>> DirectoryIndex::build(const PolicySet& policies,
                                                              const DirectoryData& data) {
  auto ix = std::make_unique<DirectoryIndex>();
  const auto catalogue = allActions();
  ix->actions.count = catalogue.size();
  for (std::size_t i = 0; i < catalogue.size(); ++i) ix->actions.scope[i] = catalogue[i].scope;
  ix->actions.mfa_exempt = mfaExemptActions();
  ix->actions.escalation = escalationActions();
  ix->actions.self_apikey = findAction("self.apikey").value_or(kNoAction);
  for (std::size_t i = 0; i < 64; ++i)
    if (!policies.compiled().permits_by_action[i].empty() || !policies.compiled().forbids_by_action[i].empty())
      ix->actions.policed.add(static_cast<ActionId>(i));
  std::size_t org_total = 0;
  for (const auto& p : data.providers) org_total += p.organizations.size();
  ix->providers.reserve(data.providers.size());
  ix->orgs.reserve(org_total);
  ix->admins.reserve(data.admins.size());
  std::size_t grant_total = 0;
  for (const auto& a : data.admins) grant_total += a.organizations.size();
  ix->grants.reserve(grant_total);
  const std::size_t admin_total = data.admins.size();
  ix->hot.allocate(HotArena::rounded(IdTable<OrgSlot>::bytesFor(org_total)) +
                   HotArena::rounded(IdTable<AdminSlot>::bytesFor(admin_total)) +
                   HotArena::rounded(GrantTable::bytesFor(grant_total)));

  for (const auto& p : data.providers) {
    ProviderRec rec;
    rec.id = p.id;
    rec.require_admin_mfa = p.require_admin_mfa;
    rec.first_org = static_cast<std::uint32_t>(ix->orgs.size());
    rec.org_count = static_cast<std::uint32_t>(p.organizations.size());
    const auto pi = static_cast<std::uint32_t>(ix->providers.size());
    ix->providers.push_back(std::move(rec));
    for (const auto& o : p.organizations) {
      ix->orgs.push_back(OrgRec{pi, 0, o.id});
      ix->org_names.push_back(o.name);
      ix->org_tags.push_back(o.tags);
    }
  }
  // Index after the vectors stop moving: the indexes hold views of the ids.
  auto provider_key = [&](std::uint32_t i) -> std::string_view { return ix->providers[i].id; };
  auto org_key = [&](std::uint32_t i) -> std::string_view { return ix->orgs[i].id; };
  auto admin_key = [&](std::uint32_t i) -> std::string_view { return ix->admins[i].id; };
  ix->provider_by_id.reserve(ix->providers.size());
  for (std::uint32_t i = 0; i < ix->providers.size(); ++i)
    if (!ix->provider_by_id.insert(ix->providers[i].id, i, provider_key))
      return std::unexpected(Status::invalidArgument("duplicate provider id " + q(ix->providers[i].id)));
  ix->org_provider.reserve(ix->orgs.size());
  for (const OrgRec& o : ix->orgs) ix->org_provider.push_back(o.provider);
  ix->org_table.reserve(ix->orgs.size(), ix->hot.take(IdTable<OrgSlot>::bytesFor(ix->orgs.size())));
  for (std::uint32_t i = 0; i < ix->orgs.size(); ++i) {
    OrgRec& o = ix->orgs[i];
    const IdKey k = idKey(o.id);
    o.hash = k.hash;
    OrgSlot slot;
    slot.index = i;
    if (!ix->org_table.insert(o.id, k, slot, org_key))
      return std::unexpected(Status::invalidArgument("duplicate organization id " + q(o.id)));
  }

  auto resolveRole = [&](const std::string& name, const std::string& admin) -> Result<RoleId> {
    auto r = policies.findRole(name);
    if (!r)
      return std::unexpected(Status::invalidArgument("admin " + q(admin) + " has unknown role " + q(name)));
    return *r;
  };

  for (const auto& a : data.admins) {
    AdminRec rec;
    rec.id = a.id;
    rec.hash = idKey(a.id).hash;
    const auto pi = ix->findProvider(a.provider);
    if (pi == kNotFound)
      return std::unexpected(Status::invalidArgument("admin " + q(a.id) + " has unknown provider " + q(a.provider)));
    rec.provider = pi;
    auto role = resolveRole(a.role, a.id);
    if (!role) return std::unexpected(role.error());
    rec.role = *role;
    rec.status = a.status;
    rec.enable_multi_factor = a.enable_multi_factor;
    rec.api_key_allowed = a.api_key_allowed;
    rec.all_organizations = a.all_organizations;
    rec.first_grant = static_cast<std::uint32_t>(ix->grants.size());
    for (const auto& g : a.organizations) {
      GrantRec gr;
      const auto oi = ix->findOrg(g.organization);
      if (oi == kNotFound || ix->orgs[oi].provider != pi)
        return std::unexpected(Status::invalidArgument("admin " + q(a.id) + " has a grant on unknown organization " + q(g.organization)));
      gr.org = oi;
      if (!g.role.empty()) {
        auto gr_role = resolveRole(g.role, a.id);
        if (!gr_role) return std::unexpected(gr_role.error());
        gr.role = *gr_role;
      }
      gr.expires = g.expires_at.has_value();
      gr.expires_at = g.expires_at.value_or(0);
      ix->grants.push_back(gr);
    }
    rec.grant_count = static_cast<std::uint32_t>(ix->grants.size()) - rec.first_grant;
    const auto ai = static_cast<std::uint32_t>(ix->admins.size());
    if (rec.all_organizations) ix->providers[pi].all_org_admins.push_back(ai);
    ix->admins.push_back(std::move(rec));
    ix->admin_emails.push_back(a.email);
    ix->admin_provider.push_back(pi);
  }
  ix->admin_table.reserve(ix->admins.size(), ix->hot.take(IdTable<AdminSlot>::bytesFor(ix->admins.size())));
  for (std::uint32_t i = 0; i < ix->admins.size(); ++i) {
    const AdminRec& rec = ix->admins[i];
    AdminSlot slot;
    slot.index = i;
    slot.role = rec.role;
    const bool mfa_required = rec.enable_multi_factor || ix->providers[rec.provider].require_admin_mfa;
    slot.flags = static_cast<std::uint8_t>(
        (rec.status != AdminStatus::kActive ? AdminSlot::kNotActive : 0) |
        (rec.api_key_allowed ? 0 : AdminSlot::kNoApiKey) | (mfa_required ? AdminSlot::kMfaRequired : 0) |
        (rec.all_organizations ? AdminSlot::kAllOrganizations : 0) | (rec.grant_count > 0 ? AdminSlot::kHasGrants : 0));
    if (!ix->admin_table.insert(rec.id, idKey(rec.id), slot, admin_key))
      return std::unexpected(Status::invalidArgument("duplicate admin id " + q(rec.id)));
  }

  // Grants: sorted by org within each admin, so a lookup is a short search in one slice.
  std::vector<std::uint32_t> per_org(ix->orgs.size() + 1, 0);
  for (auto& rec : ix->admins) {
    auto b = ix->grants.begin() + rec.first_grant;
    auto e = b + rec.grant_count;
    std::sort(b, e, [](const GrantRec& x, const GrantRec& y) { return x.org < y.org; });
    for (auto it = b; it != e; ++it) {
      if (it != b && it->org == (it - 1)->org)
        return std::unexpected(Status::invalidArgument(
            "admin " + q(rec.id) + " has two grants on organization " + q(ix->orgs[it->org].id)));
      ++per_org[it->org + 1];
    }
  }
  // The grant table, keyed by the pair of id hashes.
  ix->grant_table.reserve(ix->grants.size(), ix->hot.take(GrantTable::bytesFor(ix->grants.size())));
  for (std::uint32_t a = 0; a < ix->admins.size(); ++a) {
    const auto& rec = ix->admins[a];
    for (std::uint32_t g = rec.first_grant; g < rec.first_grant + rec.grant_count; ++g) {
      const GrantRec& gr = ix->grants[g];
      GrantSlot slot;
      slot.key = GrantSlot::keyOf(a, gr.org);
      slot.role = gr.role;
      if (gr.expires && gr.expires_at >= 0 && gr.expires_at <= UnixTime{0xffffffff}) {
        slot.expiry = GrantSlot::kInlineTime;
        slot.until = static_cast<std::uint32_t>(gr.expires_at);
      } else if (gr.expires) {
        slot.expiry = GrantSlot::kFar;
        slot.until = g;
      }
      ix->grant_table.insert(pairHash(rec.hash, ix->orgs[gr.org].hash), slot);
    }
  }
  for (std::size_t o = 1; o < per_org.size(); ++o) per_org[o] += per_org[o - 1];
  ix->org_admin_offsets = per_org;
  ix->org_admins.assign(per_org.back(), 0);
  std::vector<std::uint32_t> fill(per_org.begin(), per_org.end() - 1);
  for (std::uint32_t a = 0; a < ix->admins.size(); ++a) {
    const auto& rec = ix->admins[a];
    for (std::uint32_t g = rec.first_grant; g < rec.first_grant + rec.grant_count; ++g)
      ix->org_admins[fill[ix->grants[g].org]++] = a;
  }
  buildPlans(policies, *ix);
  return ix;
}

std::size_t DirectoryIndex::bytes() const {
  std::size_t n = sizeof(*this);
  n += providers.capacity() * sizeof(ProviderRec) + orgs.capacity() * sizeof(OrgRec) +
       admins.capacity() * sizeof(AdminRec) + grants.capacity() * sizeof(GrantRec);
  for (const auto& p : providers) n += stringBytes(p.id) + p.all_org_admins.capacity() * 4;
  for (const auto& o : orgs) n += stringBytes(o.id);
  n += org_names.capacity() * sizeof(std::string) + org_tags.capacity() * sizeof(org_tags[0]);
  for (const auto& s : org_names) n += stringBytes(s);
  for (const auto& ts : org_tags) {
    n += ts.capacity() * sizeof(std::string);
    for (const auto& t : ts) n += stringBytes(t);
  }
  for (const auto& a : admins) n += stringBytes(a.id);
  n += admin_emails.capacity() * sizeof(std::string);
  for (const auto& e : admin_emails) n += stringBytes(e);
  n += provider_by_id.bytes() + hot.bytes();  // the hot tables, with the arena's rounding
  n += admin_provider.capacity() * 4 + admin_bits.capacity() * 8;
  n += org_admin_offsets.capacity() * 4 + org_admins.capacity() * 4 + org_bits.capacity() * 8 +
       org_provider.capacity() * 4;
  return n;
}

}  // namespace mtp::engine::detail
