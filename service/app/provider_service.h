// The provider (MSP) itself: read it, and change its settings (today: requireAdminMFA, the
// global MFA requirement). No HTTP here; the routes' actions (settings.read,
// settings.update) are decided before these run.
// Thread-safety: safe from any thread (state lives in the store and the engine).
#pragma once

#include <optional>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "model/records.h"

namespace mtp::app {

struct ProviderSettings {
  std::optional<bool> require_admin_mfa;  // absent: unchanged
};

class ProviderService {
 public:
  explicit ProviderService(AppContext& app) : app_(app) {}

  Result<model::ProviderRecord> get(const Actor& actor);

  // Applies the settings; when something changed, writes the provider and one
  // `provider_update` event (changes [{field: "requireAdminMFA", from, to}]) in one
  // transaction and refreshes the engine's directory before returning, so the next request
  // is decided on the new requirement. Nothing changed: no write, no event. With If-Match:
  // 412 unless the provider's version is one it names (checked under the row lock).
  Result<model::ProviderRecord> updateSettings(const Actor& actor, const ProviderSettings& in,
                                                  const IfMatch& if_match = {});

 private:
  AppContext& app_;
};

}  // namespace mtp::app
