// The activity log and the email outbox: one aggregate of the store (soci_activity.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/list_query.h"
#include "store/model.h"
#include "store/status.h"

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
};

}  // namespace mtp::store
