// The activity log of a provider, read back: filtered, newest first, paged with
// search_after (the (timestamp, id) of the last event of the previous page), and rendered as
// CSV for downloads. Writing events is each use case's job (tx.appendActivity in the same
// transaction as its change); this reads only. No HTTP here.
// Thread-safety: safe from any thread; the free functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/admin_text.h"  // formatRfc3339
#include "app/app_context.h"
#include "model/status.h"
#include "model/records.h"

namespace mtp::app {

inline constexpr int kActivityDefaultLimit = 100;
inline constexpr int kActivityMaxLimit = 1000;       // a JSON page
inline constexpr int kActivityExportLimit = 5000;    // a download (CSV or JSON)

struct ActivityPage {
  std::vector<model::ActivityRecord> events;
  std::string search_after;  // the cursor of the next page; empty when this page is the last
};

// `2026-11-22T16:00:00Z` (UTC, whole seconds).


// The opaque cursor of an event (`<unix seconds>.<id>`), and back (nullopt: malformed).
std::string activityCursor(const model::ActivityRecord& e);
std::optional<std::pair<std::int64_t, std::string>> parseActivityCursor(std::string_view text);

// One CSV cell, RFC 4180 quoted when needed; a cell that a spreadsheet would read as a
// formula (starting with = + - @, or a tab or carriage return) gets a leading `'`.
std::string csvCell(std::string_view value);
// The header row and one row per event (CRLF line ends). Columns: id, timestamp, eventType,
// initiatedById, initiatedByType, initiatedByEmail, organization, resourceType, resourceId,
// changes (JSON), clientIp, authMethod, success.
std::string activityCsv(const std::vector<model::ActivityRecord>& events);

class ActivityService {
 public:
  explicit ActivityService(AppContext& app) : app_(app) {}

  // REQUIRES: 1 <= query.limit <= kActivityExportLimit.
  Result<ActivityPage> list(const Actor& actor, const model::ActivityQuery& query);

 private:
  AppContext& app_;
};

}  // namespace mtp::app
