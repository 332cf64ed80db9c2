// The PSA sync (issue 12 item 1), run by mtpd's sync job (main/psa_sync_job.h), never on a
// request thread. One pass:
//   1. queues a daily run for every enabled (non-demo) integration that had none in 24 h;
//   2. runs every queued run that is due: for each mapped org, the month's billable-user
//      high-water mark (billing's usage snapshots, today's recorded first) and the
//      integration's per-user price are written to the PSA (psa/psa_client.h). The run ends
//      ok (every org written) or failed (the first error; orgs written are counted), with one
//      `integration_sync` event in the same transaction. A failed run queues the next attempt
//      after a back-off (kSyncBackoff: 1, 5, 30 min) until kSyncMaxAttempts;
//   3. ticketing: for integrations with alert kinds, each current alert (a locked user, a
//      device silent 7 days) of a mapped org opens one ticket on the org's PSA company, once
//      (psa_tickets' unique key), with one `integration_ticket` event; a ticket the PSA refused
//      stays pending and is tried again next pass.
// A run claimed by one replica is never run by another (claimSyncRun); mtpd holds a job lease
// so one replica runs passes at a time anyway.
//
// Thread-safety: safe from any thread; the job calls it from its own.
#pragma once

#include <array>
#include <cstdint>

#include "app/app_context.h"
#include "model/status.h"

namespace mtp::app {

inline constexpr int kSyncMaxAttempts = 4;
inline constexpr std::array<std::int64_t, 3> kSyncBackoff = {60, 300, 1800};  // after attempt 1, 2, 3
inline constexpr std::int64_t kInactiveDeviceSeconds = 7 * 86400;

struct PsaPassOutcome {
  int queued_daily = 0;
  int runs = 0;
  int failed = 0;
  int tickets_opened = 0;
};

// `daily`: run step 1; `tickets`: run step 3.
PsaPassOutcome runPsaPass(AppContext& app, bool tickets = true, bool daily = true);

}  // namespace mtp::app
