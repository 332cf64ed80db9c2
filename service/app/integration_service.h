// PSA integrations (issue 12 item 1): a provider's ConnectWise Manage and Autotask
// integrations — configuration with write-only credentials (sealed by the AppContext's
// SecretBox; never in a response, event or log after entry), a connection test, the org
// mappings, "sync now" (queued; mtpd's sync job runs it, app/psa_sync.h), the sync outcomes,
// and the Integrations tab's "request an integration" / "sign up for beta".
//
// Every mutation writes its activity event in the same transaction:
//   integration_update, integration_delete, integration_mappings_update,
//   integration_sync_queued, integration_request.
//
// Thread-safety: stateless beyond the AppContext; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "store/store.h"

namespace mtp::app {

using PsaMapping = store::PsaMappingRecord;
using SyncRun = store::SyncRunRecord;
using IntegrationRequest = store::IntegrationRequestRecord;

inline constexpr const char* kPsaKinds[] = {"connectwise", "autotask"};
inline constexpr const char* kPsaAlertKinds[] = {"user_locked", "device_inactive_7d"};
bool isPsaKind(const std::string& kind);

// PUT .../integrations/{kind}. `secret` empty keeps the stored one (kInvalidArgument when
// there is none yet).
struct IntegrationInput {
  std::string site_url;
  std::string company_id;
  std::string integration_code;
  std::string username;
  std::optional<std::string> secret;
  bool enabled = true;
  std::int64_t price_per_user_cents = 0;
  std::vector<std::string> ticket_alert_kinds;
};

struct IntegrationView {
  std::string kind;
  bool configured = false;
  store::IntegrationRecord record;  // secret_sealed cleared
  std::vector<std::string> ticket_alert_kinds;
  std::int64_t mapped_organizations = 0;
  std::optional<store::SyncRunRecord> last_sync;
};

struct ConnectionTest {
  bool ok = false;
  std::string message;
};

// An integration's mappings and the integration's version (they share it; 0: not configured).
struct PsaMappings {
  std::vector<store::PsaMappingRecord> rows;
  std::int64_t version = 0;
};

class IntegrationService {
 public:
  explicit IntegrationService(AppContext& app) : app_(app) {}

  // Both kinds, configured or not.
  Result<std::vector<IntegrationView>> list(const Actor& actor);
  // With If-Match (put, remove, putMappings): 412 unless the integration's version (0: not
  // configured) is one it names, checked under the provider's row lock.
  Result<IntegrationView> put(Actor actor, const std::string& kind, const IntegrationInput& in,
                                 const IfMatch& if_match = {});
  // Removes the integration with its mappings, runs and tickets (nothing to remove: OK).
  Result<void> remove(Actor actor, const std::string& kind, const IfMatch& if_match = {});
  // Calls the PSA with the stored credentials (bounded by the client's timeouts).
  // kConflict when not configured.
  Result<ConnectionTest> test(const Actor& actor, const std::string& kind);
  Result<PsaMappings> mappings(const Actor& actor, const std::string& kind);
  // Replaces every mapping. Each org must be the provider's and in `reach` (the caller's
  // orgs.read reach): otherwise kNotFound naming it, and nothing is written.
  Result<PsaMappings> putMappings(Actor actor, const std::string& kind,
                                     const std::vector<store::PsaMappingRecord>& mappings,
                                     const model::OrgReach& reach, const IfMatch& if_match = {});
  // Queues a sync (or answers the one already queued). kConflict when not configured.
  Result<store::SyncRunRecord> queueSync(Actor actor, const std::string& kind);
  Result<std::vector<store::SyncRunRecord>> syncs(const Actor& actor, const std::string& kind, int limit);
  // kind: integration | beta.
  Result<store::IntegrationRequestRecord> request(Actor actor, const std::string& kind, const std::string& text);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
