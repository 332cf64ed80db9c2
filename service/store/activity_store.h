// The activity log and the email outbox: one aggregate of the store (soci_activity.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class ActivityStore {
 public:
  virtual ~ActivityStore() = default;

  // --- activity log (an event longer than its caps is cut: soci_activity.cc, issue 10 item 5)
  virtual Result<std::string> appendActivity(const TenantScope& scope,
                                             const ActivityRecord& event) = 0;
  virtual Result<std::vector<ActivityRecord>> listActivity(const TenantScope& scope,
                                                           const ActivityQuery& query) = 0;

  // --- email outbox
  virtual Result<std::string> enqueueEmail(const TenantScope& scope, const EmailRecord& email) = 0;
  virtual Result<std::vector<EmailRecord>> listEmails(const TenantScope& scope,
                                                      bool pending_only, int limit) = 0;

  // --- before a tenant is known, or over every provider (named for what they are)
  virtual Result<std::vector<EmailRecord>> pendingEmails(int limit, int max_attempts) = 0;
  virtual Result<void> markEmailSent(const std::string& id, UnixTime at) = 0;
  virtual Result<void> markEmailFailed(const std::string& id, const std::string& error) = 0;

  // --- activity retention over every provider (issue 16 item 1: soci_activity_retention.cc).
  // PostgreSQL keeps the log in one partition per UTC month (schema 17); SQLite has none, so
  // the two partition calls do nothing there and answer an empty list.
  // Makes the partitions of the month holding `now` and of the `months_ahead` months after it
  // that are missing (moving their rows out of the default partition); answers their names.
  virtual Result<std::vector<std::string>> addActivityPartitions(UnixTime now, int months_ahead) = 0;
  // Drops the month partitions that end at or before `before` (every row in them is older);
  // answers their names.
  virtual Result<std::vector<std::string>> dropActivityPartitions(UnixTime before) = 0;
  // Deletes at most `limit` events older than `before`; answers how many.
  virtual Result<std::int64_t> deleteActivityBefore(UnixTime before, int limit) = 0;
};

}  // namespace mtp::store
