#include "main/db_policies.h"

#include <vector>

namespace mtp::service {

std::string DbPolicies::label() const {
  return "v" + std::to_string(version) + ":" + std::string(set ? set->version() : "");
}

std::expected<DbPolicies, std::string> loadDbPolicies(store::Store& store) {
  auto active = store.query([](store::Tx& tx) { return tx.getActivePolicy(); });
  if (!active) return std::unexpected("database: " + active.error().text());
  if (!*active) {
    return std::unexpected(
        "no policy version in the database: push one with `mtpctl policy push --db URL DIR`");
  }
  std::vector<engine::PolicySource> sources;
  sources.reserve((*active)->files.size());
  const std::string prefix = "v" + std::to_string((*active)->version) + "/";
  for (const auto& f : (*active)->files) sources.push_back({prefix + f.path, f.text});
  auto set = engine::PolicySet::compile(sources);
  if (!set) {
    std::string msg = "policy version " + std::to_string((*active)->version) + " does not compile:";
    for (const auto& d : set.error()) msg += "\n  " + d.str();
    return std::unexpected(msg);
  }
  return DbPolicies{(*active)->version, std::move(*set)};
}

std::expected<std::optional<std::int64_t>, std::string> activeDbPolicyVersion(store::Store& store) {
  auto v = store.query([](store::Tx& tx) { return tx.activePolicyVersion(); });
  if (!v) return std::unexpected("database: " + v.error().text());
  return *v;
}

}  // namespace mtp::service
