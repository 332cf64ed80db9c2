// The rules every action on another administrator obeys (issue 10 item 2), in one place so
// that they move together; the engine is asked through the request's app::Authorization:
//  - escalation: the engine's escalation check on the target as it is (or as it would be),
//    for every action on an admin — edit, grant, suspend, restore, delete, password and TOTP
//    reset — so an admin never acts on one holding a role or orgs beyond their own;
//  - the provider keeps an active admin with billing (a role holding billing.update and
//    admins.update): the last one can be neither suspended, deleted nor demoted (409
//    conflict). JumpCloud keeps at least one.
//
// No HTTP and no SQL here: the store's list and the request's Authorization.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "app/authorization.h"
#include "model/status.h"
#include "mtp/engine/policy_set.h"
#include "mtp/engine/request.h"
#include "model/records.h"
#include "store/store.h"

namespace mtp::app {

// The escalation check of `action` on `admin` with `grants` (as it is, or as it would be): its
// default role, its reach and its live grants at `now` (an expired grant is no grant).
Result<void> mayActOnAdmin(engine::ActionId action, const model::AdminRecord& admin,
                              const std::vector<model::GrantRecord>& grants, std::int64_t now,
                              const Authorization& authz);

// True if the admin counts as an active admin with billing: active, and its role holds
// billing.update and admins.update (admin_billing, or a custom role as strong).
bool isBillingAdmin(const engine::PolicySet& policies, const model::AdminRecord& admin);

// Inside the write transaction: refuses (kConflict) a change that leaves the provider without
// an active billing admin. `after`: the admin as it would be; nullopt when it is deleted.
Result<void> keepBillingAdmin(store::Tx& tx, const engine::PolicySet& policies,
                                     const model::TenantScope& scope, const model::AdminRecord& before,
                                     const std::optional<model::AdminRecord>& after);

}  // namespace mtp::app
