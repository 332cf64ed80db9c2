// Reports requested by admins and built by mtpd's report job (schema 014): one aggregate of
// the store (soci_reports.cc). A report keeps the org ids its requester reached for the
// report's action when it was requested (report_orgs); the job builds it from those orgs only.
// A reader sees a report only when its own reach, for the action of the report's kind, covers
// every one of those orgs (ReportReader).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

struct ReportRequestRecord {
  std::string id;  // empty on create: generated
  std::string provider_id;
  std::string org_id;  // empty: every org the requester reached
  std::string kind;    // users|devices|admins|activity
  std::string format;  // csv|json
  std::optional<UnixTime> period_from, period_to;  // activity: [from, to)
  std::string status = "pending";  // pending|ready|failed
  std::string requested_by;        // the admin id
  UnixTime created = 0;            // 0 on create: now
  std::optional<UnixTime> ready_at;
  std::int64_t row_count = 0;
  std::string error;
  std::vector<std::string> org_ids;  // resolved at request time
};

// What a reader reaches, per report kind it may read (a kind absent: none of its reports).
struct ReportReader {
  std::vector<std::pair<std::string, OrgReach>> kinds;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  virtual Result<std::string> createReportRequest(const TenantScope& scope,
                                                  const ReportRequestRecord& record) = 0;
  // kNotFound unless the reader sees it.
  virtual Result<ReportRequestRecord> getReportRequest(const TenantScope& scope,
                                                       const ReportReader& reader,
                                                       const std::string& id) = 0;
  // Newest first.
  virtual Result<Page<ReportRequestRecord>> listReportRequests(const TenantScope& scope,
                                                               const ReportReader& reader,
                                                               int limit, int skip) = 0;
  virtual Result<std::string> getReportContent(const TenantScope& scope, const std::string& id) = 0;

  // --- mtpd's report job, over every provider
  // Pending reports, oldest first.
  virtual Result<std::vector<ReportRequestRecord>> pendingReportRequests(int limit) = 0;
  // status ready|failed; kNotFound unless the report is pending.
  virtual Result<void> finishReportRequest(const TenantScope& scope, const std::string& id,
                                           const std::string& status, const std::string& content,
                                           std::int64_t row_count, const std::string& error,
                                           UnixTime at) = 0;
  // Deletes every report created before `before`; returns how many.
  virtual Result<std::int64_t> purgeReports(UnixTime before) = 0;
};

}  // namespace mtp::store
