#include "authorizer/directory_index.h"

#include <algorithm>

namespace mtp::engine::detail {
namespace {

std::string q(std::string_view s) { return "`" + std::string(s) + "`"; }

std::size_t stringBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;  // beyond the small-string buffer
}

}  // namespace

Result<std::unique_ptr<DirectoryIndex>> DirectoryIndex::build(const PolicySet& policies,
                                                              const DirectoryData& data) {
  auto ix = std::make_unique<DirectoryIndex>();
  std::size_t org_total = 0;
  for (const auto& p : data.providers) org_total += p.organizations.size();
  ix->providers.reserve(data.providers.size());
  ix->orgs.reserve(org_total);
  ix->admins.reserve(data.admins.size());
  std::size_t grant_total = 0;
  for (const auto& a : data.admins) grant_total += a.organizations.size();
  ix->grants.reserve(grant_total);

  for (const auto& p : data.providers) {
    ProviderRec rec;
    rec.id = p.id;
    rec.require_admin_mfa = p.require_admin_mfa;
    rec.first_org = static_cast<std::uint32_t>(ix->orgs.size());
    rec.org_count = static_cast<std::uint32_t>(p.organizations.size());
    const auto pi = static_cast<std::uint32_t>(ix->providers.size());
    ix->providers.push_back(std::move(rec));
    for (const auto& o : p.organizations) {
      ix->orgs.push_back(OrgRec{pi, o.id});
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
  ix->org_by_id.reserve(ix->orgs.size());
  for (std::uint32_t i = 0; i < ix->orgs.size(); ++i)
    if (!ix->org_by_id.insert(ix->orgs[i].id, i, org_key))
      return std::unexpected(Status::invalidArgument("duplicate organization id " + q(ix->orgs[i].id)));

  auto resolveRole = [&](const std::string& name, const std::string& admin) -> Result<RoleId> {
    auto r = policies.findRole(name);
    if (!r)
      return std::unexpected(Status::invalidArgument("admin " + q(admin) + " has unknown role " + q(name)));
    return *r;
  };

  for (const auto& a : data.admins) {
    AdminRec rec;
    rec.id = a.id;
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
  }
  ix->admin_by_id.reserve(ix->admins.size());
  for (std::uint32_t i = 0; i < ix->admins.size(); ++i)
    if (!ix->admin_by_id.insert(ix->admins[i].id, i, admin_key))
      return std::unexpected(Status::invalidArgument("duplicate admin id " + q(ix->admins[i].id)));

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
  ix->grant_orgs.reserve(ix->grants.size());
  for (const auto& g : ix->grants) ix->grant_orgs.push_back(g.org);
  for (std::size_t o = 1; o < per_org.size(); ++o) per_org[o] += per_org[o - 1];
  ix->org_admin_offsets = per_org;
  ix->org_admins.assign(per_org.back(), 0);
  std::vector<std::uint32_t> fill(per_org.begin(), per_org.end() - 1);
  for (std::uint32_t a = 0; a < ix->admins.size(); ++a) {
    const auto& rec = ix->admins[a];
    for (std::uint32_t g = rec.first_grant; g < rec.first_grant + rec.grant_count; ++g)
      ix->org_admins[fill[ix->grants[g].org]++] = a;
  }
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
  n += provider_by_id.bytes() + org_by_id.bytes() + admin_by_id.bytes() + grant_orgs.capacity() * 4;
  n += org_admin_offsets.capacity() * 4 + org_admins.capacity() * 4;
  return n;
}

}  // namespace mtp::engine::detail
