// SociTx::loadDirectory: the engine's directory input, every provider, in one snapshot.
#include <soci/soci.h>

#include <map>

#include "store/soci_exec.h"

namespace mtp::store::detail {
namespace {

// One admins row (id provider_id email role_name status enable_multi_factor api_key_allowed
// all_organizations) as the engine reads it.
mtp::engine::AdminData adminData(const std::string& id, const std::string& provider, const std::string& email,
                                 const std::string& role, const std::string& status, int mfa, int api, int all) {
  mtp::engine::AdminData a;
  a.id = id;
  a.provider = provider;
  a.email = email;
  a.role = role;
  a.status = parseAdminStatus(status);
  a.enable_multi_factor = mfa != 0;
  a.api_key_allowed = api != 0;
  a.all_organizations = all != 0;
  return a;
}

}  // namespace

Result<mtp::engine::DirectoryData> SociTx::loadDirectory() {
  return guarded([&]() -> Result<mtp::engine::DirectoryData> {
    mtp::engine::DirectoryData dir;
    std::map<std::string, std::size_t> provider_index;
    {
      SqlParams p;
      std::string id;
      int mfa = 0;
      select(sql_,
             "SELECT id, " + boolColumn("require_admin_mfa") + " FROM providers ORDER BY id", p,
             [&](auto& pt) { pt, soci::into(id), soci::into(mfa); },
             [&] {
               provider_index[id] = dir.providers.size();
               dir.providers.push_back({id, mfa != 0, {}});
             });
    }
    std::map<std::string, std::pair<std::size_t, std::size_t>> org_index;
    {
      SqlParams p;
      std::string id, provider, name;
      select(sql_, "SELECT id, provider_id, name FROM organizations ORDER BY provider_id, id", p,
             [&](auto& pt) { pt, soci::into(id), soci::into(provider), soci::into(name); },
             [&] {
               auto it = provider_index.find(provider);
               if (it == provider_index.end()) return;
               auto& orgs = dir.providers[it->second].organizations;
               org_index[id] = {it->second, orgs.size()};
               orgs.push_back({id, name, {}});
             });
    }
    {
      SqlParams p;
      std::string org, tag;
      select(sql_, "SELECT org_id, tag FROM organization_tags ORDER BY org_id, tag", p,
             [&](auto& pt) { pt, soci::into(org), soci::into(tag); },
             [&] {
               auto it = org_index.find(org);
               if (it == org_index.end()) return;
               dir.providers[it->second.first].organizations[it->second.second].tags.push_back(tag);
             });
    }
    std::map<std::string, std::size_t> admin_index;
    {
      SqlParams p;
      std::string id, provider, email, role, status;
      int mfa = 0, api = 0, all = 0;
      select(sql_,
             "SELECT id, provider_id, email, role_name, status, " +
                 boolColumn("enable_multi_factor") + ", " + boolColumn("api_key_allowed") + ", " +
                 boolColumn("all_organizations") + " FROM admins ORDER BY provider_id, id",
             p,
             [&](auto& pt) {
               pt, soci::into(id), soci::into(provider), soci::into(email), soci::into(role),
                   soci::into(status), soci::into(mfa), soci::into(api), soci::into(all);
             },
             [&] {
               admin_index[id] = dir.admins.size();
               dir.admins.push_back(adminData(id, provider, email, role, status, mfa, api, all));
             });
    }
    {
      SqlParams p;
      std::string admin, org, role;
      soci::indicator role_ind = soci::i_ok, exp_ind = soci::i_ok;
      long long exp = 0;
      select(sql_,
             "SELECT admin_id, org_id, role_name, " + d_.ts("expires_at") +
                 " FROM admin_org_grants ORDER BY admin_id, org_id",
             p,
             [&](auto& pt) {
               pt, soci::into(admin), soci::into(org), soci::into(role, role_ind),
                   soci::into(exp, exp_ind);
             },
             [&] {
               auto it = admin_index.find(admin);
               if (it == admin_index.end()) return;
               mtp::engine::GrantData g;
               g.organization = org;
               g.role = role_ind == soci::i_null ? std::string() : role;
               if (exp_ind != soci::i_null) g.expires_at = exp;
               dir.admins[it->second].organizations.push_back(std::move(g));
             });
    }
    return dir;
  });
}

Result<mtp::engine::DirectoryPart> SociTx::loadDirectoryPart(mtp::engine::DirectoryPart::Kind kind,
                                                             const std::string& part_id) {
  return guarded([&]() -> Result<mtp::engine::DirectoryPart> {
    mtp::engine::DirectoryPart part;
    part.kind = kind;
    part.id = part_id;
    if (kind == mtp::engine::DirectoryPart::Kind::kOrg) {
      SqlParams p;
      std::string q = "SELECT provider_id, name FROM organizations WHERE id = " + p.text(part_id);
      std::string provider, name;
      bool found = false;
      select(sql_, q, p, [&](auto& pt) { pt, soci::into(provider), soci::into(name); },
             [&] { found = true; });
      if (!found) return part;
      part.provider = provider;
      part.org = mtp::engine::OrgData{part_id, name, {}};
      SqlParams tp;
      std::string tq = "SELECT tag FROM organization_tags WHERE org_id = " + tp.text(part_id) +
                       " ORDER BY tag";
      std::string tag;
      select(sql_, tq, tp, [&](auto& pt) { pt, soci::into(tag); },
             [&] { part.org->tags.push_back(tag); });
      return part;
    }
    {
      SqlParams p;
      std::string q = "SELECT provider_id, email, role_name, status, " +
                      boolColumn("enable_multi_factor") + ", " + boolColumn("api_key_allowed") +
                      ", " + boolColumn("all_organizations") + " FROM admins WHERE id = " +
                      p.text(part_id);
      std::string provider, email, role, status;
      int mfa = 0, api = 0, all = 0;
      select(sql_, q, p,
             [&](auto& pt) {
               pt, soci::into(provider), soci::into(email), soci::into(role), soci::into(status),
                   soci::into(mfa), soci::into(api), soci::into(all);
             },
             [&] {
               part.admin = adminData(part_id, provider, email, role, status, mfa, api, all);
             });
    }
    if (!part.admin) return part;
    SqlParams p;
    std::string q = "SELECT org_id, role_name, " + d_.ts("expires_at") +
                    " FROM admin_org_grants WHERE admin_id = " + p.text(part_id) +
                    " ORDER BY org_id";
    std::string org, role;
    soci::indicator role_ind = soci::i_ok, exp_ind = soci::i_ok;
    long long exp = 0;
    select(sql_, q, p,
           [&](auto& pt) { pt, soci::into(org), soci::into(role, role_ind), soci::into(exp, exp_ind); },
           [&] {
             mtp::engine::GrantData g;
             g.organization = org;
             g.role = role_ind == soci::i_null ? std::string() : role;
             if (exp_ind != soci::i_null) g.expires_at = exp;
             part.admin->organizations.push_back(std::move(g));
           });
    return part;
  });
}

}  // namespace mtp::store::detail
