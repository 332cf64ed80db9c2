// SociTx: the SAML/OIDC applications of an org — store/org_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

Result<std::vector<ApplicationRecord>> SociTx::listApplications(const TenantScope& scope,
                                                                const std::string& org_id) {
  return guarded([&]() -> Result<std::vector<ApplicationRecord>> {
    SqlParams op;
    if (count(sql_,
              "SELECT COUNT(*) FROM organizations WHERE provider_id = " + op.text(scope.provider_id) +
                  " AND id = " + op.text(org_id),
              op) == 0) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    SqlParams p;
    std::vector<ApplicationRecord> out;
    ApplicationRecord row;
    long long created = 0;
    select(sql_,
           "SELECT id, org_id, name, type, " + d_.ts("created") +
               " FROM organization_applications WHERE provider_id = " + p.text(scope.provider_id) +
               " AND org_id = " + p.text(org_id) + " ORDER BY lower(name), id",
           p,
           [&](auto& pt) {
             pt, soci::into(row.id), soci::into(row.org_id), soci::into(row.name), soci::into(row.type),
                 soci::into(created);
           },
           [&] {
             row.created = created;
             out.push_back(row);
           });
    return out;
  });
}

Result<std::string> SociTx::createApplication(const TenantScope& scope, const ApplicationRecord& r) {
  if (r.name.empty()) return fail(Status::invalidArgument("name is required"));
  return guarded([&]() -> Result<std::string> {
    if (!lockRow("organizations", scope, r.org_id)) return fail(Status::notFound().withDetail("organization not found"));
    SqlParams cp;
    if (count(sql_,
              "SELECT COUNT(*) FROM organization_applications WHERE provider_id = " +
                  cp.text(scope.provider_id) + " AND org_id = " + cp.text(r.org_id) +
                  " AND lower(name) = lower(" + cp.text(r.name) + ")",
              cp) > 0) {
      return fail(Status::conflict("an application with this name exists in the organization"));
    }
    const std::string id = r.id.empty() ? newId() : r.id;
    const UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    exec(sql_,
         "INSERT INTO organization_applications (id, provider_id, org_id, name, type, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) + ", " + p.text(r.name) +
             ", " + p.text(r.type) + ", " + d_.tsParam(p.integer(created)) + ")",
         p);
    return id;
  });
}

Result<ApplicationRecord> SociTx::deleteApplication(const TenantScope& scope, const std::string& org_id,
                                                    const std::string& id) {
  return guarded([&]() -> Result<ApplicationRecord> {
    SqlParams p;
    std::optional<ApplicationRecord> found;
    ApplicationRecord row;
    long long created = 0;
    select(sql_,
           "SELECT id, org_id, name, type, " + d_.ts("created") +
               " FROM organization_applications WHERE provider_id = " + p.text(scope.provider_id) +
               " AND org_id = " + p.text(org_id) + " AND id = " + p.text(id) + lockClause(),
           p,
           [&](auto& pt) {
             pt, soci::into(row.id), soci::into(row.org_id), soci::into(row.name), soci::into(row.type),
                 soci::into(created);
           },
           [&] {
             row.created = created;
             found = row;
           });
    if (!found) return fail(Status::notFound().withDetail("application not found"));
    SqlParams dp;
    exec(sql_,
         "DELETE FROM organization_applications WHERE provider_id = " + dp.text(scope.provider_id) +
             " AND org_id = " + dp.text(org_id) + " AND id = " + dp.text(id),
         dp);
    return *found;
  });
}

}  // namespace mtp::store::detail
