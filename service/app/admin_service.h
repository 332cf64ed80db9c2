// The MSP's administrators as use cases: list, read, create (active with a password, or
// pending with an activation email), edit, delete, suspend/restore, password and TOTP reset
// emails, org access (grants), and the engine's explanation of one admin's decision.
//
// No HTTP and no SQL here. The route's own action has been decided by the pipeline before any
// of these runs; what a use case must still ask the engine (the escalation check with a
// Target, admins.enable_api, custom policies on the target) goes through the request's
// Authorization (app/authorization.h), so the decision is logged and mapped like the
// pipeline's own, on the same snapshot.
//
// Every mutation writes its change and exactly one activity event in one transaction, then
// refreshes the engine's directory before returning, so the very next request is decided on
// the new facts. No password, token or secret is ever put in an event or a result.
//
// Thread-safety: stateless beyond the AppContext; safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/admin_target_rules.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "mtp/engine/request.h"
#include "model/list_query.h"
#include "model/records.h"

namespace mtp::app {

// An org grant as asked for.
struct GrantInput {
  std::string organization;
  std::string role;  // empty: the admin's default role applies there
  std::optional<std::int64_t> expires_at;
};

struct NewAdmin {
  std::string email;
  std::string firstname;
  std::string lastname;
  std::string role_name;
  bool enable_multi_factor = false;
  bool api_key_allowed = false;
  bool all_organizations = false;
  std::vector<GrantInput> organizations;
  std::optional<std::string> password;  // set: active at once; unset: pending + activation email
};

// PUT: absent fields stay as they are; `organizations` present replaces every grant.
struct AdminChanges {
  std::optional<std::string> email;
  std::optional<std::string> firstname;
  std::optional<std::string> lastname;
  std::optional<std::string> role_name;
  std::optional<bool> enable_multi_factor;
  std::optional<bool> api_key_allowed;
  std::optional<bool> all_organizations;
  std::optional<std::vector<GrantInput>> organizations;
};

struct AdminDetails {
  model::AdminRecord admin;
  std::vector<model::GrantRecord> grants;
};

struct GrantOutcome {
  model::GrantRecord grant;
  bool created = false;  // false: an existing grant of that org was replaced
};

// What explain assumes about the request it evaluates for the admin.
struct ExplainQuery {
  std::string action;        // `users.delete`
  std::string organization;  // empty: none
  engine::AuthMethod auth_method = engine::AuthMethod::kSession;
  bool mfa = true;  // a session that verified MFA
};

struct ExplainAnswer {
  bool allowed = false;
  std::string reason;
  std::string decided_by;
  std::vector<engine::TraceStep> trace;
  std::int64_t time = 0;  // the moment the request was evaluated at
  ExplainQuery assumed;
};

class AdminService {
 public:
  explicit AdminService(AppContext& app) : app_(app) {}

  Result<model::Page<model::AdminRecord>> list(const Actor& actor, const model::ListQuery& query);
  // kNotFound for an id of another provider, as for a missing one.
  Result<AdminDetails> get(const Actor& actor, const std::string& id);

  // kInvalidArgument (shape, unknown role or org, password policy), kConflict (email taken),
  // the Authorization's denial (escalation, admins.enable_api, custom forbid).
  Result<AdminDetails> create(Actor actor, const NewAdmin& input, const Authorization& authz);
  // The escalation check compares the actor with the admin as it would be after the change.
  // Turning apiKeyAllowed off revokes the admin's API keys in the same transaction.
  // With If-Match: 412 unless the admin's version is one it names (checked under the row lock
  // in the write transaction). A concurrent change between the read and the write makes the
  // update start again from the new row (no lost update).
  Result<AdminDetails> update(Actor actor, const std::string& id, const AdminChanges& changes,
                                 const Authorization& authz, const IfMatch& if_match = {});
  // Every account action below first asks the Authorization for the escalation check on the admin as
  // it is (app/admin_target_rules.h): an admin with a role or orgs beyond the actor's is out of
  // reach. Suspending, deleting or demoting the provider's last active billing admin: kConflict.

  // Revokes the admin's sessions and keys and deletes it. Refuses the actor's own account.
  Result<void> remove(Actor actor, const std::string& id, const Authorization& authz,
                         const IfMatch& if_match = {});

  // active|pending → suspended; every session of the admin is revoked at once. Refuses the
  // actor's own account; kConflict if already suspended.
  Result<AdminDetails> suspend(Actor actor, const std::string& id, const Authorization& authz);
  // suspended → active (pending if the admin never set a password); clears a login
  // lock-out. kConflict unless suspended.
  Result<AdminDetails> restore(Actor actor, const std::string& id, const Authorization& authz);
  // An active admin gets a password-reset email; a pending one a fresh activation email.
  // kConflict for a suspended admin.
  Result<void> sendPasswordReset(Actor actor, const std::string& id, const Authorization& authz);
  // `clear`: forget the TOTP secret (the admin enrolls again); `send_email`: a TOTP-reset
  // link. REQUIRES: at least one of them.
  Result<void> resetTotp(Actor actor, const std::string& id, bool clear, bool send_email,
                            const Authorization& authz);

  Result<std::vector<model::GrantRecord>> listGrants(const Actor& actor, const std::string& id);
  // Adds or replaces the grant of one org, after the escalation check on that grant.
  Result<GrantOutcome> putGrant(Actor actor, const std::string& id, const GrantInput& grant,
                                   const Authorization& authz);
  // Removes the grant of one org; the actor must reach that org (escalation check on reach).
  // An allOrganizations admin removed from one org keeps every other org as a grant of the
  // default role and stops following new orgs (the actor must reach each org granted).
  Result<void> deleteGrant(Actor actor, const std::string& id, const std::string& org,
                              const Authorization& authz);

  // The engine's decision and trace for admin `id` asking `query`. kInvalidArgument for an
  // unknown action; kNotFound for an admin or org outside the actor's provider.
  Result<ExplainAnswer> explain(const Actor& actor, const std::string& id, const ExplainQuery& query,
                                   const Authorization& authz);

 private:
  Result<void> removeOneOfAllOrgs(Actor actor, const AdminDetails& current,
                                     const std::string& org, const Authorization& authz);
  Result<void> checkTarget(const Actor& actor, const std::string& id, std::string_view action,
                              const Authorization& authz);

  // One attempt of update(); *stale when the row changed between its read and its write.
  Result<AdminDetails> updateOnce(Actor actor, const std::string& id, const AdminChanges& changes,
                                     const Authorization& authz, const IfMatch& if_match, bool* stale);

  AppContext& app_;
};

}  // namespace mtp::app
