#include "store/soci_tx.h"

#include <soci/soci.h>

#include "store/errors.h"
#include "store/soci_exec.h"

// SociTx's methods live with their aggregate: soci_orgs.cc, soci_admins.cc, soci_sessions.cc,
// soci_users.cc, soci_devices.cc, soci_billing.cc, soci_home.cc, soci_activity.cc and
// soci_directory.cc; the statement helpers are in soci_exec.h, the list whitelists in
// soci_list.h.
namespace mtp::store::detail {

Status SociTx::classify(const std::exception& e) {
  bool lost = false;
  Status s = classifyError(e, sql_, d_.backend, &lost);
  if (lost) lost_ = true;
  return s;
}

std::string SociTx::lockClause(std::string_view alias) const {
  if (!writing_ || !d_.postgres()) return {};
  if (alias.empty()) return " FOR NO KEY UPDATE";
  return " FOR NO KEY UPDATE OF " + std::string(alias);
}

bool SociTx::lockRow(std::string_view table, const TenantScope& scope, const std::string& id) {
  SqlParams p;
  // `table` is one of the store's own constants, never caller text.
  const std::string where = table == "providers"
                                ? " WHERE id = " + p.text(scope.provider_id)
                                : " WHERE provider_id = " + p.text(scope.provider_id) +
                                      " AND id = " + p.text(id);
  bool found = false;
  std::string got;
  select(sql_, "SELECT id FROM " + std::string(table) + where + lockClause(), p,
         [&](auto& pt) { pt, soci::into(got); }, [&] { found = true; });
  return found;
}

}  // namespace mtp::store::detail
