// Reports (issue 12 item 3): an admin requests one (users, devices, admins with their org
// access, or an activity summary for a period [from, to)) of one org or of every org they
// reach, as CSV or JSON; mtpd's report job (main/report_job.h) builds it from the store
// (buildPendingReports) into the database, where it is kept kReportDays days
// (purgeOldReports). No HTTP here.
//
// Reach: the handler resolves, when the report is requested, the orgs the request's
// Authorization reaches for the report's action (users.read, devices.read; admins and activity
// are provider actions, checked as such, with the orgs of orgs.read) and passes them in; the
// report holds those orgs' rows only, whatever the requester's access later. A reader sees a
// report when their own reach for its kind covers all of its orgs (store::ReportReader).
//
// Events: report_requested (the admin) and report_ready (system, one per report built).
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "model/status.h"
#include "store/report_store.h"
#include "store/store.h"

namespace mtp::app {

inline constexpr std::int64_t kReportDays = 30;
// A report holds at most this many rows (it is marked failed beyond).
inline constexpr std::int64_t kMaxReportRows = 100000;

using Report = store::ReportRequestRecord;
using ReportReader = store::ReportReader;
using OrgReach = model::OrgReach;
using KindReach = std::pair<std::string, model::OrgReach>;  // an entry of ReportReader::kinds

struct ReportRequest {
  std::string kind;    // users|devices|admins|activity
  std::string format;  // csv|json
  std::string organization;  // empty: every reached org
  std::optional<std::int64_t> from, to;  // activity only, both required there
};

// The action whose reach a report of `kind` needs (empty for an unknown kind).
std::string reportAction(const std::string& kind);

class ReportService {
 public:
  explicit ReportService(AppContext& app) : app_(app) {}

  // `org_ids`: the orgs the request reaches for the kind (already narrowed to `organization`
  // when one is named). kInvalidArgument for a bad request; kNotFound when no org is reached.
  Result<Report> request(const Actor& actor, const ReportRequest& req,
                            std::vector<std::string> org_ids);
  // Every org id of the caller's provider (an all-orgs reach, resolved now).
  Result<std::vector<std::string>> organizationIds(const Actor& actor);
  Result<model::Page<Report>> list(const Actor& actor, const ReportReader& reader, int limit,
                                      int skip);
  Result<Report> get(const Actor& actor, const ReportReader& reader, const std::string& id);
  // The file of a ready report: kPreconditionFailed while it is pending or failed.
  Result<std::string> file(const Actor& actor, const ReportReader& reader,
                              const std::string& id);

 private:
  AppContext& app_;
};

// Builds every pending report (at most `limit`); returns how many were finished.
Result<int> buildPendingReports(store::Store& store, std::int64_t now, int limit = 20);
// Deletes reports older than kReportDays; returns how many.
Result<std::int64_t> purgeOldReports(store::Store& store, std::int64_t now);
// The content of `r` from the store as it is now (CSV or JSON) and its row count.
Result<std::pair<std::string, std::int64_t>> renderReport(store::Tx& tx, const Report& r);

}  // namespace mtp::app
