#include "app/authorization.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "auth/random.h"

namespace mtp::app {

namespace {

// The production view: one snapshot of the Authorizer, held for the request.
class SnapshotView final : public EngineView {
 public:
  explicit SnapshotView(std::shared_ptr<const engine::Snapshot> s) : snapshot_(std::move(s)) {}
  engine::Decision authorize(const engine::Request& request) const noexcept override {
    return snapshot_->authorize(request);
  }
  const engine::Snapshot* snapshot() const noexcept override { return snapshot_.get(); }

 private:
  std::shared_ptr<const engine::Snapshot> snapshot_;
};

std::string_view actionName(engine::ActionId action) {
  return action < engine::allActions().size() ? engine::actionInfo(action).name
                                              : std::string_view("?");
}

void tell(const DecisionSink& sink, const engine::Request& r, const engine::Decision& d,
          const DecisionInfo& info, std::string_view request_id) {
  if (!sink) return;
  try {
    sink(r, d, info);
  } catch (const std::exception& e) {
    spdlog::error("request={} decision sink threw: {}", request_id, e.what());
  } catch (...) {
    spdlog::error("request={} decision sink threw a non-standard exception", request_id);
  }
}

}  // namespace

EngineSource engineSource(const engine::Authorizer& authorizer) {
  return [&authorizer]() -> std::shared_ptr<const EngineView> {
    return std::make_shared<SnapshotView>(authorizer.current());
  };
}

Status denialError(const engine::Request& request, engine::Reason reason,
                     std::string decision_id) {
  using engine::Reason;
  const bool enrolling = request.session_scope == engine::SessionScope::kEnrollmentOnly;
  switch (reason) {
    case Reason::kSessionScope:
      // An enrollment-only session is told to enroll; an org launch session asking about
      // another org is answered as for any org out of reach; anything else is a denial.
      if (enrolling) return Status::mfaRequired("enroll multi-factor authentication first");
      if (request.action < engine::allActions().size() &&
          engine::actionInfo(request.action).scope == engine::Scope::kOrg)
        return Status::notFound();
      return Status::permissionDenied(std::move(decision_id));
    case Reason::kApiAccessDisabled:
      // Checked before the session's scope: an enrollment-only session asking for an API key
      // (which its scope never covers) is told to enroll first, as for any uncovered action.
      if (enrolling) return Status::mfaRequired("enroll multi-factor authentication first");
      return Status::permissionDenied(std::move(decision_id));
    case Reason::kProviderMismatch:
    case Reason::kOrgUnknown:
    case Reason::kOrgNotGranted:
    case Reason::kGrantExpired:
      return Status::notFound();  // indistinguishable from a missing resource
    case Reason::kMfaRequired:
      if (enrolling) return Status::mfaRequired("enroll multi-factor authentication first");
      return Status::mfaRequired();
    case Reason::kUnknownAdmin:
    case Reason::kAdminNotActive:
      return Status::unauthenticated();
    default:
      return Status::permissionDenied(std::move(decision_id));
  }
}

Authorization::Authorization(std::shared_ptr<const EngineView> engine, engine::Request context,
                             engine::ActionSet declared, DecisionSinks sinks,
                             std::string request_id)
    : engine_(std::move(engine)),
      context_(context),
      declared_(declared),
      sinks_(std::move(sinks)),
      request_id_(std::move(request_id)) {
  context_.action = engine::kNoAction;
  context_.organization = {};
  context_.any_organization = false;
  context_.target = {};
}

engine::Request Authorization::request(engine::ActionId action,
                                       std::string_view organization) const {
  engine::Request r = context_;
  r.action = action;
  r.organization = organization;
  return r;
}

bool Authorization::declared(engine::ActionId action) const {
  if (declared_.has(action)) return true;
  spdlog::error("request={} asked the engine for undeclared action {}", request_id_,
                actionName(action));
  return false;
}

engine::Decision Authorization::decide(const engine::Request& request, bool refuses,
                                       std::string& decision_id) const {
  decision_id = auth::newId();
  engine::Decision d;  // deny by default: no engine, no answer
  if (engine_) d = engine_->authorize(request);
  const DecisionInfo info{decision_id, request_id_, refuses};
  tell(sinks_.decided, request, d, info, request_id_);
  if (!d.allowed && refuses) tell(sinks_.denied, request, d, info, request_id_);
  return d;
}

Result<void> Authorization::require(const engine::Request& request) const {
  if (!declared(request.action)) return fail(Status::internal());
  std::string decision_id;
  const engine::Decision d = decide(request, true, decision_id);
  if (d.allowed) return {};
  return fail(denialError(request, d.reason, std::move(decision_id)));
}

Result<void> Authorization::require(engine::ActionId action,
                                       std::string_view organization) const {
  return require(request(action, organization));
}

Result<void> Authorization::requireOn(engine::ActionId action,
                                         const engine::Target& target) const {
  engine::Request r = request(action);
  r.target = target;
  return require(r);
}

bool Authorization::permits(const engine::Request& request) const {
  if (!declared(request.action)) return false;
  std::string decision_id;
  return decide(request, false, decision_id).allowed;
}

engine::RequestContext Authorization::reverseContext(bool with_scope) const {
  engine::RequestContext ec;
  ec.auth_method = context_.auth_method;
  ec.mfa = context_.mfa;
  ec.client_ip = context_.client_ip;
  ec.time = context_.time;
  if (with_scope) {
    ec.session_scope = context_.session_scope;  // an org launch token: its one org at most
    ec.launch_org = context_.launch_org;
  }
  return ec;
}

engine::OrgReach Authorization::orgReach(engine::ActionId action) const {
  const engine::Snapshot* s = engine_ ? engine_->snapshot() : nullptr;
  if (s == nullptr || context_.admin.empty() || action >= engine::allActions().size()) return {};
  return s->orgsFor(context_.admin, action, reverseContext(true));
}

engine::ActionSet Authorization::heldActions(std::string_view organization, bool with_scope) const {
  const engine::Snapshot* s = engine_ ? engine_->snapshot() : nullptr;
  if (s == nullptr || context_.admin.empty()) return {};
  return s->effectiveActions(context_.admin, organization, reverseContext(with_scope));
}

std::optional<engine::Explanation> Authorization::explain(const engine::Request& request) const {
  const engine::Snapshot* s = engine_ ? engine_->snapshot() : nullptr;
  if (s == nullptr) return std::nullopt;
  return s->explain(request);
}

const engine::Snapshot* Authorization::reportSnapshot() const {
  return engine_ ? engine_->snapshot() : nullptr;
}

const engine::PolicySet* Authorization::policies() const {
  const engine::Snapshot* s = engine_ ? engine_->snapshot() : nullptr;
  return s ? &s->policies() : nullptr;
}

}  // namespace mtp::app
