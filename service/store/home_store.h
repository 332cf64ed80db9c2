// The Home page's widgets (store/home_records.h), MDM items, reports, each admin's Home
// choices and the operator's OS releases: one aggregate of the store (soci_home.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class HomeStore {
 public:
  virtual ~HomeStore() = default;

  // --- Home (store/home_records.h): widget counts are one COUNT(*) over the reach, each
  // on its own index (schema 005_home.sql); lists page with limit/skip.
  virtual Result<std::int64_t> countHomeUsers(const TenantScope& scope, const OrgReach& reach,
                                              const HomeUserQuery& query) = 0;
  virtual Result<Page<HomeUserItem>> listHomeUsers(const TenantScope& scope,
                                                   const OrgReach& reach,
                                                   const HomeUserQuery& query, int limit,
                                                   int skip) = 0;
  virtual Result<std::int64_t> countHomeDevices(const TenantScope& scope, const OrgReach& reach,
                                                const HomeDeviceQuery& query) = 0;
  virtual Result<Page<HomeDeviceItem>> listHomeDevices(const TenantScope& scope,
                                                       const OrgReach& reach,
                                                       const HomeDeviceQuery& query, int limit,
                                                       int skip) = 0;
  // Admins of the provider not required to use MFA (enable_multi_factor off); none when the
  // provider requires MFA of every admin. By email.
  virtual Result<Page<AdminRecord>> listAdminsWithoutMfa(const TenantScope& scope, int limit,
                                                         int skip) = 0;
  // Replaces the org's MDM items (kinds absent from `items` are removed); kNotFound for an org
  // that is not the scope's.
  virtual Result<void> putOrgMdm(const TenantScope& scope, const std::string& org_id,
                                 const std::vector<OrgMdmItem>& items) = 0;
  virtual Result<std::vector<OrgMdmItem>> getOrgMdm(const TenantScope& scope,
                                                    const std::string& org_id) = 0;
  // The version of the org's MDM items (0: never set; every putOrgMdm raises it), read under
  // the org's row lock in a write unit; kNotFound for an org that is not the scope's.
  virtual Result<std::int64_t> getOrgMdmVersion(const TenantScope& scope,
                                                const std::string& org_id) = 0;
  // Orgs in the reach with an item expiring at or before `before`.
  virtual Result<std::int64_t> countMdmOrgs(const TenantScope& scope, const OrgReach& reach,
                                            UnixTime before) = 0;
  // Every item in the reach, soonest expiry first.
  virtual Result<Page<OrgMdmItem>> listMdmItems(const TenantScope& scope, const OrgReach& reach,
                                                int limit, int skip) = 0;
  // Reports ready (store/report_store.h) with since <= ready_at <= until whose orgs are all in
  // the reach, newest first; the name is the kind's ("Users report"), org_id empty for a
  // report of several orgs.
  virtual Result<Page<ReportRecord>> listReportsReady(const TenantScope& scope,
                                                      const OrgReach& reach, UnixTime since,
                                                      UnixTime until, int limit, int skip) = 0;
  // kNotFound when the admin never saved a choice.
  virtual Result<AdminHomeRecord> getAdminHome(const TenantScope& scope,
                                               const std::string& admin_id) = 0;
  virtual Result<void> putAdminHome(const TenantScope& scope, const AdminHomeRecord& record) = 0;

  // OS releases (global, the operator's): kConflict for an existing (family, version, build).
  virtual Result<std::string> addOsRelease(const OsReleaseRecord& record) = 0;
  // Released at or after `since`, newest first.
  virtual Result<Page<OsReleaseRecord>> listOsReleases(UnixTime since, int limit, int skip) = 0;
};

}  // namespace mtp::store
