#include "app/denial_event.h"

namespace mtp::app {

bool isWellFormedId(std::string_view id) {
  if (id.size() != 24) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

model::ActivityRecord denialEvent(const Actor& actor, std::string_view action, engine::Reason reason,
                                  const std::string& decision_id, std::string_view organization) {
  // Another provider's org is, to this caller, an org that does not exist.
  const engine::Reason recorded =
      reason == engine::Reason::kProviderMismatch ? engine::Reason::kOrgUnknown : reason;
  std::vector<Change> changes = {{"action", "", std::string(action)},
                                 {"reason", "", std::string(engine::reasonName(recorded))}};
  std::string org;
  if (isWellFormedId(organization)) {
    org = std::string(organization);
  } else if (!organization.empty()) {
    changes.push_back({"organization", "", "(not an id)"});
  }
  return activityEvent(actor, "access_denied", "decision", decision_id, changes, std::move(org), false);
}

}  // namespace mtp::app
