// The provider's client organizations: list, create, read, edit, delete, logo, launch (an
// org-scoped session for the org's console) and the admins who reach an org. No HTTP here.
// Which orgs a caller reaches is the engine's answer, passed in (model::OrgReach) or already
// checked by the route's action; these use cases never decide access themselves.
//
// Every mutation writes one activity event in the same transaction as the change and
// refreshes the engine's directory before returning (org names and tags feed policies; a new
// org must be reachable by its creator and every allOrganizations admin on the next request).
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "model/list_query.h"
#include "model/records.h"
#include "model/scope.h"

namespace mtp::app {

inline constexpr std::size_t kMaxLogoBytes = 1024 * 1024;

struct OrgCreate {
  std::string name;
  std::optional<std::int64_t> max_system_users;
  std::vector<std::string> tags;
};

// Absent fields stay as they are.
struct OrgChanges {
  std::optional<std::string> name;
  std::optional<std::optional<std::int64_t>> max_system_users;  // {nullopt}: no cap
  std::optional<bool> remote_assist;
  std::optional<std::vector<std::string>> tags;
};

struct LaunchToken {
  std::string token;  // shown once, never stored (the store keeps the session by jti)
  std::int64_t expires_in = 0;
  model::OrganizationRecord organization;
};

// One admin who reaches an org, with the role in force there.
struct OrgAdmin {
  model::AdminRecord admin;
  std::string effective_role;  // the grant's role there, else the admin's default role
};

// "image/png" or "image/jpeg" when `bytes` is one (by its signature); nullopt otherwise.
std::optional<std::string> sniffImageType(std::string_view bytes);

class OrganizationService {
 public:
  explicit OrganizationService(AppContext& app) : app_(app) {}

  Result<model::Page<model::OrganizationRecord>> list(const Actor& actor,
                                                         const model::OrgReach& reach,
                                                         const model::ListQuery& query);
  Result<model::OrganizationRecord> get(const Actor& actor, const std::string& id);

  // `organization_create`; an actor without allOrganizations is granted the new org (their
  // default role) in the same transaction.
  Result<model::OrganizationRecord> create(const Actor& actor, const OrgCreate& in);
  // `organization_update` with one change per field that changed; nothing changed: no write.
  Result<model::OrganizationRecord> update(const Actor& actor, const std::string& id,
                                              const OrgChanges& in, const IfMatch& if_match = {});
  // `organization_delete`; grants, tags and the logo go with the org.
  Result<void> remove(const Actor& actor, const std::string& id, const IfMatch& if_match = {});

  // REQUIRES: sniffImageType(bytes) is set and bytes.size() <= kMaxLogoBytes (else
  // kInvalidArgument). `organization_update` with change {field: "logo"}.
  // With If-Match: the org's version (a new logo raises it).
  Result<void> setLogo(const Actor& actor, const std::string& org_id, std::string bytes,
                          const IfMatch& if_match = {});
  Result<model::LogoRecord> getLogo(const Actor& actor, const std::string& org_id);

  // A session scoped to the org (kOrgLaunch), MFA as the caller's, for config().launch_ttl;
  // `organization_launch` event in the same transaction as the session.
  Result<LaunchToken> launch(const Actor& actor, const std::string& org_id);

  // The admins who reach the org now (allOrganizations, or an unexpired grant), by email.
  Result<std::vector<OrgAdmin>> administrators(const Actor& actor, const std::string& org_id);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
