// Who performs a use case, as the use cases see it (no HTTP): the authenticated admin, how
// they came in, and from where. Also what every activity event records about its initiator.
#pragma once

#include <string>

#include "mtp/engine/request.h"
#include "model/records.h"
#include "model/scope.h"

namespace mtp::app {

struct Actor {
  std::string admin_id;
  std::string provider_id;
  std::string email;  // filled by the use case when it reads the admin
  engine::AuthMethod auth_method = engine::AuthMethod::kSession;
  bool mfa = false;
  std::string client_ip;
  std::string session_jti;  // empty for API keys

  model::TenantScope scope() const { return model::TenantScope{provider_id}; }
};

// A change of one field, for the activity event's `changes`.
struct Change {
  std::string field;
  std::string from;
  std::string to;
};

// An activity event initiated by `actor` (the caller appends it in the same transaction as
// the change it records).
model::ActivityRecord activityEvent(const Actor& actor, std::string event_type,
                                    std::string resource_type, std::string resource_id,
                                    const std::vector<Change>& changes = {},
                                    std::string organization = {}, bool success = true);

// An event no admin initiated (mtpd's own jobs, the demo, the operator's command line):
// initiated_by_type "system", no initiator id, email or client address.
model::ActivityRecord systemEvent(const model::TenantScope& scope, std::string event_type,
                                  std::string resource_type, std::string resource_id,
                                  const std::vector<Change>& changes = {},
                                  std::string organization = {},
                                  std::string auth_method = "system");

}  // namespace mtp::app
