#include "store/soci_tx.h"

#include <soci/soci.h>

#include "store/errors.h"

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

}  // namespace mtp::store::detail
