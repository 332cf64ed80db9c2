// Scheduled user access (issue 12 item 2; JumpCloud's scheduled state changes): a user's
// scheduled suspension or activation, set or cleared by an admin, and the pass of mtpd's
// schedule job that carries out each one when due.
//
// Rules: the time is in the future; a suspension only for an ACTIVATED user, an activation
// only for a STAGED or SUSPENDED one (else kPreconditionFailed). Setting or clearing is a
// `user_update` event (field scheduled_suspension_date / scheduled_activation_date). When due,
// the job changes the state with the manual action's event (`user_suspended`,
// `user_activated`, initiated by the system) and clears the schedule, in one transaction; a
// schedule the user's state no longer fits (suspended meanwhile by hand) is cleared with a
// `user_update` event. The due row is re-read under its lock in that transaction, so of two
// replicas (or passes) racing on one schedule exactly one carries it out.
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "model/records.h"
#include "store/store.h"

namespace mtp::app {

enum class ScheduledChange { kSuspension, kActivation };

class UserScheduleService {
 public:
  explicit UserScheduleService(AppContext& app) : app_(app) {}

  // Sets the user's scheduled change to `at` (Unix seconds), or clears it (nullopt; clearing
  // none is no write and no event).
  // The schedule is part of the user: with If-Match, 412 unless the user's version is one
  // it names (checked under the user's row lock); a change raises the user's version.
  Result<model::SystemUserRecord> set(const Actor& actor, const std::string& org_id,
                                         const std::string& id, ScheduledChange change,
                                         std::optional<std::int64_t> at, const IfMatch& if_match = {});

 private:
  AppContext& app_;
};

// What one pass of the schedule job did.
struct SchedulePass {
  std::int64_t changed = 0;  // users suspended or activated
  std::int64_t cleared = 0;  // schedules dropped because the state no longer fits
  std::int64_t failed = 0;   // users whose transaction failed (retried at the next pass)
};

// Carries out every schedule due at `now` (at most `batch` users per call).
SchedulePass runDueUserSchedules(store::Store& store, std::int64_t now, int batch = 500);

}  // namespace mtp::app
