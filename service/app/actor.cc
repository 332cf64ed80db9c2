#include "app/actor.h"

#include <nlohmann/json.hpp>

namespace mtp::app {

model::ActivityRecord activityEvent(const Actor& actor, std::string event_type,
                                    std::string resource_type, std::string resource_id,
                                    const std::vector<Change>& changes, std::string organization,
                                    bool success) {
  model::ActivityRecord e;
  e.provider_id = actor.provider_id;
  e.event_type = std::move(event_type);
  e.initiated_by_id = actor.admin_id;
  e.initiated_by_type = actor.auth_method == engine::AuthMethod::kApiKey ? "api_key" : "admin";
  e.initiated_by_email = actor.email;
  e.organization = std::move(organization);
  e.resource_type = std::move(resource_type);
  e.resource_id = std::move(resource_id);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& c : changes) arr.push_back({{"field", c.field}, {"from", c.from}, {"to", c.to}});
  e.changes_json = arr.dump();
  e.client_ip = actor.client_ip;
  e.auth_method = actor.auth_method == engine::AuthMethod::kApiKey ? "api_key" : "session";
  e.success = success;
  return e;
}

model::ActivityRecord systemEvent(const model::TenantScope& scope, std::string event_type,
                                  std::string resource_type, std::string resource_id,
                                  const std::vector<Change>& changes, std::string organization,
                                  std::string auth_method) {
  Actor system;
  system.provider_id = scope.provider_id;
  auto ev = activityEvent(system, std::move(event_type), std::move(resource_type),
                          std::move(resource_id), changes, std::move(organization));
  ev.initiated_by_id.clear();
  ev.initiated_by_type = "system";
  ev.initiated_by_email.clear();
  ev.auth_method = std::move(auth_method);
  ev.client_ip.clear();
  return ev;
}

}  // namespace mtp::app
