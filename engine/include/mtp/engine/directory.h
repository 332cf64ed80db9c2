// The directory facts the engine decides on: providers and their orgs, admins and their org
// grants. Plain owned data, as a store or a file hands it over; Snapshot::build indexes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mtp/engine/request.h"

namespace mtp::engine {

struct OrgData {
  std::string id;
  std::string name;
  std::vector<std::string> tags;
};

struct ProviderData {
  std::string id;
  bool require_admin_mfa = false;  // the global MFA requirement
  std::vector<OrgData> organizations;
};

enum class AdminStatus { kActive, kPending, kSuspended };
std::string_view adminStatusName(AdminStatus s);
std::optional<AdminStatus> parseAdminStatus(std::string_view name);

struct GrantData {
  std::string organization;
  std::string role;                   // empty: the admin's default role applies
  std::optional<UnixTime> expires_at;  // an expired grant is no grant
};

struct AdminData {
  std::string id;
  std::string provider;
  std::string email;
  std::string role;  // the default role
  AdminStatus status = AdminStatus::kActive;
  bool enable_multi_factor = false;
  bool api_key_allowed = false;
  bool all_organizations = false;
  std::vector<GrantData> organizations;
};

struct DirectoryData {
  std::vector<ProviderData> providers;
  std::vector<AdminData> admins;
};

// One admin (with its grants) or one org (with its tags) as the store has it now, for an
// incremental update of a live directory (Authorizer::updateDirectory): absent = deleted.
struct DirectoryPart {
  enum class Kind { kAdmin, kOrg };
  Kind kind = Kind::kAdmin;
  std::string id;
  std::optional<AdminData> admin;  // kAdmin
  std::string provider;            // kOrg: its provider (when present)
  std::optional<OrgData> org;      // kOrg
};

// Applies `parts` to `directory` in order (replace, add or remove). False when an org's
// provider is not in the directory (the caller then reloads it in full).
bool applyDirectoryParts(DirectoryData& directory, const std::vector<DirectoryPart>& parts);

}  // namespace mtp::engine
