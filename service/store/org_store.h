// Providers and their organizations (tags, logos): one aggregate of the store (store.h's Tx
// inherits every aggregate's interface; soci_orgs.cc implements this one).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class OrgStore {
 public:
  virtual ~OrgStore() = default;

  // --- providers
  // REQUIRES: record.id is empty or equals scope.provider_id (empty: scope.provider_id).
  virtual Result<void> createProvider(const TenantScope& scope, const ProviderRecord& record) = 0;
  virtual Result<ProviderRecord> getProvider(const TenantScope& scope) = 0;
  // Updates name and require_admin_mfa.
  virtual Result<void> updateProvider(const TenantScope& scope, const ProviderRecord& record) = 0;

  // --- organizations
  // Returns the id (generated when record.id is empty). Tags are stored sorted and unique.
  virtual Result<std::string> createOrganization(const TenantScope& scope,
                                                 const OrganizationRecord& record) = 0;
  virtual Result<OrganizationRecord> getOrganization(const TenantScope& scope,
                                                     const std::string& id) = 0;
  // Replaces name, max_system_users, remote_assist and tags of record.id.
  virtual Result<void> updateOrganization(const TenantScope& scope,
                                          const OrganizationRecord& record) = 0;
  virtual Result<void> deleteOrganization(const TenantScope& scope, const std::string& id) = 0;
  // Fields: id name maxSystemUsers remoteAssist created updated; filter only: tags
  // (eq: has the tag, in, search).
  virtual Result<Page<OrganizationRecord>> listOrganizations(const TenantScope& scope,
                                                             const OrgReach& reach,
                                                             const ListQuery& query) = 0;
  // --- an org's SAML/OIDC applications (soci_applications.cc); kNotFound for an org that is
  // not the scope's. Create: kConflict when the name exists in the org; returns the id.
  virtual Result<std::vector<ApplicationRecord>> listApplications(const TenantScope& scope,
                                                                  const std::string& org_id) = 0;
  virtual Result<std::string> createApplication(const TenantScope& scope,
                                                const ApplicationRecord& record) = 0;
  virtual Result<ApplicationRecord> deleteApplication(const TenantScope& scope, const std::string& org_id,
                                                      const std::string& id) = 0;
  // Every org id of the provider, in id order.
  virtual Result<std::vector<std::string>> listOrganizationIds(const TenantScope& scope) = 0;
  virtual Result<void> setOrganizationLogo(const TenantScope& scope, const std::string& org_id,
                                           const LogoRecord& logo) = 0;
  virtual Result<LogoRecord> getOrganizationLogo(const TenantScope& scope,
                                                 const std::string& org_id) = 0;

  // --- before a tenant is known, or over every provider (named for what they are)
  // The provider of an org, any provider (the user portal's sign-in names only the org);
  // kNotFound for an unknown org.
  virtual Result<std::string> findOrganizationProvider(const std::string& org_id) = 0;
  virtual Result<std::vector<ProviderRecord>> listProviders() = 0;
};

}  // namespace mtp::store
