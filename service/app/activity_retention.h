// Activity retention (issue 16 item 1): one pass of mtpd's activity job, over every provider.
// PostgreSQL keeps the log in one partition per UTC month (schema 17): a pass makes this month's
// and the next months' partitions ahead, drops the months older than the retention, then
// deletes the older events left (in the month that straddles the cutoff, or in the default
// partition) in batches. SQLite has no partitions: a pass deletes the older events in batches.
// Each step is its own short transaction, so a pass never holds a lock for long; a pass that
// meets `max_batches` stops and the next one goes on. What a pass did goes to the log, never
// to the activity log itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/status.h"
#include "store/store.h"

namespace mtp::app {

struct ActivityRetentionOptions {
  int retention_days = 90;  // events older than this many days go; 0: kept forever
  int months_ahead = 2;     // partitions made ahead of this month (PostgreSQL)
  int batch = 5000;         // events deleted per transaction
  int max_batches = 200;    // per pass
};

struct ActivityRetentionPass {
  std::vector<std::string> partitions_created;
  std::vector<std::string> partitions_dropped;
  std::int64_t events_deleted = 0;
  bool more = false;  // stopped at max_batches with older events left
};

Result<ActivityRetentionPass> maintainActivity(store::Store& store, std::int64_t now,
                                                  const ActivityRetentionOptions& options);

// One log line for a pass ("" when it did nothing).
std::string describe(const ActivityRetentionPass& pass);

}  // namespace mtp::app
