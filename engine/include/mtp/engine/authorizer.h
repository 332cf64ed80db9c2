// The authorization engine: a Snapshot (one PolicySet and one indexed directory) answers
// every question; an Authorizer holds the live Snapshot and swaps it atomically.
//
// Usage, per request:
//   auto snap = authorizer.current();       // one pointer copy; hold it for the request
//   Decision d = snap->authorize(request);   // const, never throws, does not allocate
//
// Thread-safety: a Snapshot is immutable and safe from any number of threads. Authorizer's
// methods are safe from any thread; readers never wait for a writer to build a snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mtp/engine/coverage.h"
#include "mtp/engine/decision.h"
#include "mtp/engine/directory.h"
#include "mtp/engine/policy_set.h"
#include "mtp/engine/request.h"
#include "mtp/engine/result.h"

namespace mtp::engine {

namespace detail {
struct DirectoryIndex;
}

// One step of an explanation: a check or a policy that was consulted, and what it said.
struct TraceStep {
  std::string check;    // `unknown_action`, ..., `role`, `policy`
  std::string subject;  // the role or policy id, or what was checked
  bool passed = false;
  std::string detail;
};

struct Explanation {
  Decision decision;
  std::vector<TraceStep> trace;
};

// The orgs where an admin may do an action: every org of the provider (`all`), or a list.
struct OrgReach {
  bool all = false;
  std::vector<std::string_view> organizations;  // when !all; valid while the Snapshot is held
};

// The parts of a request that are not about which org: used by the reverse queries.
struct RequestContext {
  AuthMethod auth_method = AuthMethod::kSession;
  bool mfa = true;
  std::optional<IpAddress> client_ip;
  UnixTime time = 0;
  // The credential's scope: every reverse query is narrowed by it (an org launch session
  // reaches its launch org at most; an enrollment-only session no org at all).
  SessionScope session_scope = SessionScope::kFull;
  std::string_view launch_org;
};

class Snapshot {
 public:
  // Indexes `directory` against `policies`. Fails on a duplicate id, an admin of an unknown
  // provider, or a role name the policy set does not define.
  static Result<std::shared_ptr<const Snapshot>> build(std::shared_ptr<const PolicySet> policies,
                                                       const DirectoryData& directory);
  ~Snapshot();

  // The decision for `request`, by the checks of the spec in order. Deny by default.
  Decision authorize(const Request& request) const noexcept;

  // The same decision, recording in `coverage` (sized for this snapshot's PolicySet) which
  // roles, policies and conditions it exercised. For tests; the plain overload is untouched.
  Decision authorize(const Request& request, PolicyCoverage& coverage) const noexcept;

  // The same decision with a trace of every check and policy consulted.
  Explanation explain(const Request& request) const;

  // Orgs of the admin's provider where `admin` may do the org-scoped `action`. An admin
  // with allOrganizations and no custom policy on the action answers `all` at once.
  OrgReach orgsFor(std::string_view admin, ActionId action, const RequestContext& ctx) const;

  // Admins (ids) who may do `action` in `organization`, evaluated with `ctx`.
  std::vector<std::string_view> adminsFor(std::string_view organization, ActionId action,
                                          const RequestContext& ctx) const;

  // Every action the admin may do, in `organization` if not empty (for the UI to show or
  // hide), evaluated with `ctx`.
  ActionSet effectiveActions(std::string_view admin, std::string_view organization,
                             const RequestContext& ctx) const;

  const PolicySet& policies() const { return *policies_; }
  std::shared_ptr<const PolicySet> policySet() const { return policies_; }
  // The version of the policies every decision of this snapshot is made with
  // (PolicySet::version); valid while the Snapshot is held.
  std::string_view policyVersion() const { return policies_->version(); }
  std::size_t adminCount() const;
  std::size_t orgCount() const;
  // Bytes held by the directory index (for the memory-per-admin figure).
  std::size_t indexBytes() const;

  Snapshot(std::shared_ptr<const PolicySet> policies, std::unique_ptr<detail::DirectoryIndex> index);

 private:
  std::shared_ptr<const PolicySet> policies_;
  std::unique_ptr<detail::DirectoryIndex> index_;
};

class Authorizer {
 public:
  // Starts with a snapshot built from `policies` and `directory`.
  static Result<std::unique_ptr<Authorizer>> create(std::shared_ptr<const PolicySet> policies,
                                                    DirectoryData directory);

  // The live snapshot. Never null. A copy of one shared_ptr under a mutex held for that copy
  // only (tens of nanoseconds; ThreadSanitizer models it, which it does not libstdc++ 12's
  // lock-bit std::atomic<std::shared_ptr>).
  std::shared_ptr<const Snapshot> current() const;

  // Builds a snapshot with the new policies (and the current directory) and swaps it in.
  // On failure the live snapshot is unchanged.
  Result<void> replacePolicies(std::shared_ptr<const PolicySet> policies);

  // Builds a snapshot with the new directory (and the current policies) and swaps it in.
  // On failure the live snapshot is unchanged.
  Result<void> replaceDirectory(DirectoryData directory);

  // Applies one or more admins / orgs as the store has them now (applyDirectoryParts) to the
  // current directory and swaps the rebuilt snapshot in: no full load from the store. On
  // failure (an org of an unknown provider, or a build error) the live snapshot is unchanged
  // and the caller reloads in full.
  Result<void> updateDirectory(const std::vector<DirectoryPart>& parts);

 private:
  Authorizer() = default;
  void publish(std::shared_ptr<const Snapshot> next);

  std::mutex writer_;  // serializes writers (builds happen outside live_)
  DirectoryData directory_;
  mutable std::mutex live_;  // guards current_ for the pointer copy or swap only
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace mtp::engine
