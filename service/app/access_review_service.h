// The access review (issue 14 item 3): for each admin of a provider and each org they reach,
// the effective actions and where they come from, the grant's expiry, when the admin last
// used that access, and the admin's last certification; recording a certification; removing
// per-org grants unused for N days.
//
// Where an org's actions come from:
//   reach       `allOrganizations` (the admin reaches every org) or `grant` (a per-org
//               grant; an expired one is listed with no action). A policy cannot reach an org
//               the admin has no grant of (org_not_granted comes before policies).
//   role        the role that applies there: the grant's role (roleSource `perOrg`) or the
//               admin's default role (roleSource `default`)
//   policyPermitted / policyForbidden  org actions a custom policy adds to / takes from the
//               role there.
// The engine evaluates each admin as if it asked now, with a session that verified MFA and no
// client address (as `explain` assumes): a policy on the client network or the time of day
// answers for that assumption. Every question to the engine is asked in access_review_service.cc
// (evaluateAdmin), through the Snapshot's reverse query effectiveActions.
//
// "Last used" is the newest activity event the admin initiated in that org (a change, an
// org launch, a denial recorded as access_denied): reads that write no event do not count.
// A grant is "unused for N days" when neither such an event nor the grant's own creation is
// newer than N days.
//
// Thread-safety: stateless beyond the AppContext; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/admin_target_rules.h"
#include "app/authorization.h"
#include "app/app_context.h"
#include "model/status.h"
#include "mtp/engine/authorizer.h"
#include "model/records.h"
#include "store/store.h"

namespace mtp::app {

struct ReviewOrgAccess {
  std::string org_id;
  std::string org_name;
  std::string reach;        // allOrganizations | grant
  std::string role;         // the role that applies in the org
  std::string role_source;  // default | perOrg
  std::vector<std::string> actions;           // effective org-scoped actions there
  std::vector<std::string> policy_permitted;  // of `actions`, not from the role
  std::vector<std::string> policy_forbidden;  // of the role's, taken away by a policy
  bool has_grant = false;
  bool grant_expired = false;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> last_used_at;
};

struct ReviewAdmin {
  model::AdminRecord admin;
  std::vector<std::string> provider_actions;  // effective provider-scoped actions
  std::vector<ReviewOrgAccess> organizations;
  std::optional<store::CertificationRecord> certification;  // the newest
};

struct AccessReview {
  std::string provider_id;
  std::int64_t generated_at = 0;
  std::string policy_version;
  std::vector<ReviewAdmin> admins;
};

// The review of `scope`'s provider from `store`, decided by `snapshot` at `now`. Used by the
// service and by `mtpctl access-review`.
Result<AccessReview> buildAccessReview(store::Store& store, const engine::Snapshot& snapshot,
                                          const model::TenantScope& scope, std::int64_t now);

// One removal of remove-unused: the grant, and its error when it was not removed.
struct RemovalOutcome {
  std::string admin_id;
  std::string org_id;
  std::optional<std::int64_t> last_used_at;
  std::optional<Status> error;
};

inline constexpr int kMaxUnusedDays = 3650;
inline constexpr std::size_t kMaxCertificationNote = 2000;

class AccessReviewService {
 public:
  explicit AccessReviewService(AppContext& app) : app_(app) {}

  // On the request's own snapshot (Authorization::reportSnapshot).
  Result<AccessReview> review(const Actor& actor, const Authorization& authz);

  // Records that `actor` certified `admin_id`'s access, with one `access_review_certify`
  // event in the same transaction. kNotFound for an admin of another provider;
  // kInvalidArgument for a note over kMaxCertificationNote bytes.
  Result<store::CertificationRecord> certify(Actor actor, const std::string& admin_id,
                                                const std::string& note);

  // Removes every per-org grant (of `admin_ids`, or of every admin when empty) unused for
  // `days` days (1..kMaxUnusedDays), each through AdminService::deleteGrant: the escalation
  // check of admins.grant_access on the admin and the org, and one admin_update event each.
  // An id of `admin_ids` that is no admin of the provider answers one kNotFound item.
  Result<std::vector<RemovalOutcome>> removeUnused(Actor actor, int days,
                                                      const std::vector<std::string>& admin_ids,
                                                      const Authorization& authz);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
