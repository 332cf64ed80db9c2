// The SAML/OIDC applications of an org (the seeds' "Applications" column: the SSO apps
// configured in that org): list, create and delete; the org list's applicationCount counts
// them. No HTTP here; the route's action (orgs.read to list, orgs.update to change) was
// asked for the org before the call.
//
// Every change writes one activity event (`application_create`, `application_delete`,
// resource type "application", the org as the event's organization) in its transaction.
// Thread-safety: safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "model/status.h"
#include "model/records.h"

namespace mtp::app {

// An application as the use cases hand it out.
using Application = model::ApplicationRecord;

class ApplicationService {
 public:
  explicit ApplicationService(AppContext& app) : app_(app) {}

  Result<std::vector<Application>> list(const Actor& actor, const std::string& org_id);
  // `name`: 1..255 bytes of printable text, unique per org (kConflict); `type`: saml or oidc.
  Result<Application> create(const Actor& actor, const std::string& org_id,
                                             const std::string& name, const std::string& type);
  Result<void> remove(const Actor& actor, const std::string& org_id, const std::string& id);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
