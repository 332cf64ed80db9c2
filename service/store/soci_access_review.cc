// SociTx: the access review's rows — store/access_review_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

Result<std::vector<AdminRecord>> SociTx::reviewAdmins(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<AdminRecord>> {
    SqlParams p;
    std::vector<AdminRecord> out;
    AdminRecord a;
    std::string status;
    int all = 0;
    select(sql_,
           "SELECT id, email, firstname, lastname, role_name, status, " +
               boolColumn("all_organizations") + " FROM admins WHERE provider_id = " +
               p.text(scope.provider_id) + " ORDER BY lower(email), id",
           p,
           [&](auto& pt) {
             pt, soci::into(a.id), soci::into(a.email), soci::into(a.firstname),
                 soci::into(a.lastname), soci::into(a.role_name), soci::into(status),
                 soci::into(all);
           },
           [&] {
             AdminRecord r = a;
             r.provider_id = scope.provider_id;
             r.status = parseAdminStatus(status);
             r.all_organizations = all != 0;
             out.push_back(std::move(r));
           });
    return out;
  });
}

Result<std::vector<ReviewOrgRecord>> SociTx::reviewOrganizations(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<ReviewOrgRecord>> {
    SqlParams p;
    std::vector<ReviewOrgRecord> out;
    ReviewOrgRecord o;
    select(sql_,
           "SELECT id, name FROM organizations WHERE provider_id = " + p.text(scope.provider_id) +
               " ORDER BY name, id",
           p, [&](auto& pt) { pt, soci::into(o.id), soci::into(o.name); }, [&] { out.push_back(o); });
    return out;
  });
}

Result<std::vector<GrantRecord>> SociTx::reviewGrants(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<GrantRecord>> {
    SqlParams p;
    const std::string where = " WHERE provider_id = " + p.text(scope.provider_id) + " ORDER BY admin_id, org_id";
    return selectGrants(where, p);
  });
}

Result<std::vector<LastUseRecord>> SociTx::lastUseByAdminAndOrg(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<LastUseRecord>> {
    SqlParams p;
    std::vector<LastUseRecord> out;
    LastUseRecord u;
    long long at = 0;
    // activity_provider_initiator_time serves it: (provider_id, initiated_by_id, timestamp).
    select(sql_,
           "SELECT initiated_by_id, organization, " + d_.ts("MAX(timestamp)") +
               " FROM activity WHERE provider_id = " + p.text(scope.provider_id) +
               " AND organization IS NOT NULL AND initiated_by_id <> '' "
               "AND initiated_by_type IN ('admin', 'api_key') "
               "GROUP BY initiated_by_id, organization",
           p, [&](auto& pt) { pt, soci::into(u.admin_id), soci::into(u.org_id), soci::into(at); },
           [&] {
             LastUseRecord r = u;
             r.at = at;
             out.push_back(std::move(r));
           });
    return out;
  });
}

Result<std::string> SociTx::addCertification(const TenantScope& scope, const CertificationRecord& c) {
  return guarded([&]() -> Result<std::string> {
    std::string id = c.id.empty() ? newId() : c.id;
    SqlParams p;
    exec(sql_,
         "INSERT INTO access_certifications (id, provider_id, admin_id, certified_by_id, "
         "certified_by_email, certified_at, note) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(c.admin_id) + ", " +
             p.text(c.certified_by_id) + ", " + p.text(c.certified_by_email) + ", " +
             d_.tsParam(p.integer(c.certified_at != 0 ? c.certified_at : now())) + ", " +
             p.text(c.note) + ")",
         p);
    return id;
  });
}

Result<std::vector<CertificationRecord>> SociTx::latestCertifications(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<CertificationRecord>> {
    SqlParams p;
    std::vector<CertificationRecord> out;
    CertificationRecord c;
    long long at = 0;
    // Newest first; the caller keeps the first of each admin (ties broken by id).
    select(sql_,
           "SELECT id, admin_id, certified_by_id, certified_by_email, " + d_.ts("certified_at") +
               ", note FROM access_certifications WHERE provider_id = " + p.text(scope.provider_id) +
               " ORDER BY admin_id, certified_at DESC, id DESC",
           p,
           [&](auto& pt) {
             pt, soci::into(c.id), soci::into(c.admin_id), soci::into(c.certified_by_id),
                 soci::into(c.certified_by_email), soci::into(at), soci::into(c.note);
           },
           [&] {
             if (!out.empty() && out.back().admin_id == c.admin_id) return;
             CertificationRecord r = c;
             r.certified_at = at;
             out.push_back(std::move(r));
           });
    return out;
  });
}

}  // namespace mtp::store::detail
