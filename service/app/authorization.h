// The one per-request authorization object (issue 9 item 1). The pipeline makes one for
// every request: it holds the ONE engine snapshot the whole request is decided on, and every
// question of the request goes through it — the route's action, the second actions the route
// declares (Access::also, Access::mayAsk), the escalation checks on a target, and the
// reverse queries (which orgs the caller reaches for an action, which actions it holds).
// Handlers and use cases ask it; nothing else asks the engine.
//
// Every decision, allowed or denied, goes through one function (decide) that hands it to the
// decision sink (the decision log line and the metrics; a decision log can be plugged in
// there); a refusing denial then goes to the denial sink (the access_denied activity event),
// and is answered with denialError.
//
// Thread-safety: one Authorization per request, used by the thread serving it. The sinks
// must not throw (a throw is logged and ignored).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/status.h"
#include "mtp/engine/action.h"
#include "mtp/engine/authorizer.h"
#include "mtp/engine/decision.h"
#include "mtp/engine/request.h"

namespace mtp::app {

// The engine as one request sees it: one snapshot, taken when the request starts.
// Production: engineSource() over engine::Authorizer. The HTTP layer's own tests plug a
// decider of fixed answers (they have no directory): snapshot() is then null, and reverse
// queries answer nothing.
class EngineView {
 public:
  virtual ~EngineView() = default;
  virtual engine::Decision authorize(const engine::Request& request) const noexcept = 0;
  virtual const engine::Snapshot* snapshot() const noexcept = 0;
};

// Where the pipeline takes one EngineView per request. Must be safe from any thread.
using EngineSource = std::function<std::shared_ptr<const EngineView>()>;

// The live snapshot of `authorizer`, taken once per call. `authorizer` outlives the source.
EngineSource engineSource(const engine::Authorizer& authorizer);

// What a sink is told of one decision besides the request and the answer (whose views are
// valid during the call only).
struct DecisionInfo {
  std::string_view decision_id;  // the 403 body's decision id, the access_denied event's id
  std::string_view request_id;   // the request's X-Request-Id
  bool refuses = true;           // false: a "no" hides something (a Home widget), refuses nothing
};

// Told of a decision. Must not throw.
using DecisionSink = std::function<void(
    const engine::Request& request, const engine::Decision& decision, const DecisionInfo& info)>;

struct DecisionSinks {
  DecisionSink decided;  // every decision, allowed or denied (the decision log)
  DecisionSink denied;   // every refusing denial (the activity log's access_denied event)
};

// The error a denial of `request` answers with: tenant-reach reasons → not found (as a
// missing resource), mfa_required → mfa required, unknown / inactive admin → unauthenticated,
// others → permission denied with the decision id. An enrollment-only session whose scope
// does not cover the action is told to enroll (mfa required), whichever check came first.
Status denialError(const engine::Request& request, engine::Reason reason,
                     std::string decision_id);

class Authorization {
 public:
  // `context`: the request's facts (admin, provider, auth method, MFA, scope, client IP,
  // time); its views must outlive this object. `declared`: every action the route may ask
  // (its own, `also`, `mayAsk`); an undeclared one is refused (internal) and logged.
  // `engine` may be null: every question is then denied (an unauthenticated request).
  Authorization(std::shared_ptr<const EngineView> engine, engine::Request context,
                engine::ActionSet declared, DecisionSinks sinks, std::string request_id);

  // The request's facts with `action` (and `organization`, the target org if any).
  engine::Request request(engine::ActionId action, std::string_view organization = {}) const;

  // Decides `request` (logged); on denial records it and returns the error to answer.
  Result<void> require(const engine::Request& request) const;
  Result<void> require(engine::ActionId action, std::string_view organization = {}) const;
  // The escalation check of `action` on another admin as it is or would be (`target`).
  Result<void> requireOn(engine::ActionId action, const engine::Target& target) const;
  // The same question when a "no" hides something rather than refuses the request: logged,
  // a denial not recorded as access_denied. Undeclared actions answer false.
  bool permits(const engine::Request& request) const;

  // Reverse queries, on the same snapshot, with the request's own context (auth method,
  // MFA, client IP, time, the credential's scope). The views of an OrgReach are valid while
  // this object lives.
  engine::OrgReach orgReach(engine::ActionId action) const;
  // Every action the caller holds (in `organization` if not empty). `with_scope` false: as if
  // the credential were unscoped (the profile's list, as it has always been).
  engine::ActionSet heldActions(std::string_view organization, bool with_scope) const;
  // The engine's explanation of `request` (someone else's, for admins.read): not a decision
  // of this request, so not logged. Its `decided_by` is valid while this object lives;
  // nullopt without an engine.
  std::optional<engine::Explanation> explain(const engine::Request& request) const;
  // The policies of the snapshot (role names, the billing rule); null without an engine.
  const engine::PolicySet* policies() const;
  // The snapshot this request is decided on, for a read-only report over other admins' access
  // (the access review): no decision of this request, nothing logged. Null without an engine.
  const engine::Snapshot* reportSnapshot() const;

 private:
  // THE one place a decision is made, handed to the sinks and (on a refusing denial)
  // recorded. Returns the decision and its id.
  engine::Decision decide(const engine::Request& request, bool refuses,
                          std::string& decision_id) const;
  bool declared(engine::ActionId action) const;
  engine::RequestContext reverseContext(bool with_scope) const;

  std::shared_ptr<const EngineView> engine_;
  engine::Request context_;
  engine::ActionSet declared_;
  DecisionSinks sinks_;
  std::string request_id_;
};

}  // namespace mtp::app
