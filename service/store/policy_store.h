// Policies in the database for a cluster (issue 16 item 2; schema 012_policy_versions.sql):
// immutable numbered versions of a policy folder and one pointer to the active version. One
// aggregate of the store (soci_policies.cc); the operator's, not a tenant's: no scope.
// Compiling is the caller's business (mtpctl policy push checks before it stores; mtpd compiles
// what it loads): the store only keeps the texts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

struct PolicyFileRecord {
  std::string path;  // relative to the pushed folder, e.g. roles.yaml
  std::string text;
  bool operator==(const PolicyFileRecord&) const = default;
};

struct PolicyVersionRecord {
  std::int64_t version = 0;
  UnixTime created = 0;
  std::string created_by;
  std::string content_hash;  // engine::PolicySet::version() of the files
  bool active = false;
  std::vector<PolicyFileRecord> files;  // filled by getActivePolicy only
};

class PolicyStore {
 public:
  virtual ~PolicyStore() = default;
  // Stores `files` as the next version (one more than the highest) and makes it active;
  // returns the version. kConflict when another push took the same number at the same time.
  virtual Result<std::int64_t> pushPolicyVersion(const std::vector<PolicyFileRecord>& files,
                                                 const std::string& content_hash,
                                                 const std::string& created_by) = 0;
  // Every version, newest first, without files.
  virtual Result<std::vector<PolicyVersionRecord>> listPolicyVersions() = 0;
  // The active version with its files; nullopt when none was ever pushed.
  virtual Result<std::optional<PolicyVersionRecord>> getActivePolicy() = 0;
  // The active version's number only (cheap); nullopt when none.
  virtual Result<std::optional<std::int64_t>> activePolicyVersion() = 0;
  // Points the active pointer at an existing `version` (rollback); kNotFound when there is none.
  virtual Result<void> activatePolicyVersion(std::int64_t version,
                                             const std::string& changed_by) = 0;
};

}  // namespace mtp::store
