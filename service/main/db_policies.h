// Policies from the database (issue 16 item 2): the active version that `mtpctl policy push`
// or `rollback` set (store/policy_store.h), read and compiled by mtpd --policies-from-db at
// start and on every 'policy' change of the change feed.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>

#include "mtp/engine/policy_set.h"
#include "store/store.h"

namespace mtp::service {

struct DbPolicies {
  std::int64_t version = 0;
  std::shared_ptr<const engine::PolicySet> set;
  // What the decision log records: "v<version>:<content hash>".
  std::string label() const;
};

// The active version, compiled. An error (one line per diagnostic) when the database cannot be
// read, no version was ever pushed, or the stored files do not compile (a newer engine's).
std::expected<DbPolicies, std::string> loadDbPolicies(store::Store& store);

// The active version's number only (nullopt: none pushed); an error when unreadable.
std::expected<std::optional<std::int64_t>, std::string> activeDbPolicyVersion(store::Store& store);

}  // namespace mtp::service
