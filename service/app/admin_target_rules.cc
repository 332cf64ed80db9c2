#include "app/admin_target_rules.h"

#include <string>

#include "mtp/engine/action.h"
#include "model/list_query.h"

namespace mtp::app {

Result<void> mayActOnAdmin(engine::ActionId action, const model::AdminRecord& admin,
                              const std::vector<model::GrantRecord>& grants, std::int64_t now,
                              const Authorization& authz) {
  std::vector<engine::TargetGrant> live;  // the views below point into admin and grants
  for (const auto& g : grants) {
    if (g.expires_at && *g.expires_at <= now) continue;  // an expired grant is no grant
    live.push_back({g.org_id, g.role_name});
  }
  engine::Target target;
  target.present = true;
  target.role = admin.role_name;
  target.email = admin.email;
  target.all_organizations = admin.all_organizations;
  target.organizations = live;
  return authz.requireOn(action, target);
}

namespace {

// A role "with billing" (JumpCloud's Administrator with Billing and any custom role as
// strong): it pays and it manages the admins, so the provider is never left without one.
bool withBilling(const engine::RoleInfo& role) {
  static const auto billing = engine::findAction("billing.update");
  static const auto admins = engine::findAction("admins.update");
  return billing && admins && role.actions.has(*billing) && role.actions.has(*admins);
}

// The roles with billing, as `a|b|c` for an `in` filter (role ids hold no `|`).
std::string billingRoles(const engine::PolicySet& policies) {
  std::string out;
  for (std::size_t i = 0; i < policies.roleCount(); ++i) {
    const auto& role = policies.role(static_cast<engine::RoleId>(i));
    if (withBilling(role)) out += (out.empty() ? "" : "|") + role.id;
  }
  return out;
}

}  // namespace

bool isBillingAdmin(const engine::PolicySet& policies, const model::AdminRecord& admin) {
  if (admin.status != model::AdminStatus::kActive) return false;
  const auto role = policies.findRole(admin.role_name);
  return role && withBilling(policies.role(*role));
}

Result<void> keepBillingAdmin(store::Tx& tx, const engine::PolicySet& policies,
                                     const model::TenantScope& scope, const model::AdminRecord& before,
                                     const std::optional<model::AdminRecord>& after) {
  if (!isBillingAdmin(policies, before)) return {};
  if (after && isBillingAdmin(policies, *after)) return {};
  const std::string roles = billingRoles(policies);
  model::ListQuery q;
  q.limit = 1;
  q.filters = {{"status", model::FilterOp::kEq, "active"},
               {"roleName", model::FilterOp::kIn, roles},
               {"id", model::FilterOp::kNe, before.id}};
  auto others = tx.listAdmins(scope, q);
  if (!others) return fail(others.error());
  if (others->total_count > 0) return {};
  return fail(Status::conflict(
      "the provider's last active administrator with billing cannot be suspended, deleted or "
      "demoted: give another administrator a role with billing first"));
}

}  // namespace mtp::app
