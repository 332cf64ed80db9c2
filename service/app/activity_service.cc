#include "app/activity_service.h"

#include <charconv>
#include <ctime>

namespace mtp::app {

std::string activityCursor(const model::ActivityRecord& e) {
  return std::to_string(e.timestamp) + "." + e.id;
}

std::optional<std::pair<std::int64_t, std::string>> parseActivityCursor(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size() || text.size() > 128) {
    return std::nullopt;
  }
  std::int64_t ts = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + dot, ts);
  if (ec != std::errc() || end != text.data() + dot) return std::nullopt;
  std::string id(text.substr(dot + 1));
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  return std::make_pair(ts, std::move(id));
}

std::string csvCell(std::string_view v) {
  std::string s;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
                     v[0] == '\r')) {
    s.push_back('\'');
  }
  s.append(v);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q.push_back('"');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

std::string activityCsv(const std::vector<model::ActivityRecord>& events) {
  std::string out =
      "id,timestamp,eventType,initiatedById,initiatedByType,initiatedByEmail,organization,"
      "resourceType,resourceId,changes,clientIp,authMethod,success\r\n";
  for (const auto& e : events) {
    const std::string cells[] = {e.id,
                                 formatRfc3339(e.timestamp),
                                 e.event_type,
                                 e.initiated_by_id,
                                 e.initiated_by_type,
                                 e.initiated_by_email,
                                 e.organization,
                                 e.resource_type,
                                 e.resource_id,
                                 e.changes_json,
                                 e.client_ip,
                                 e.auth_method,
                                 e.success ? "true" : "false"};
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out.push_back(',');
      first = false;
      out += csvCell(c);
    }
    out += "\r\n";
  }
  return out;
}

Result<ActivityPage> ActivityService::list(const Actor& actor, const model::ActivityQuery& query) {
  if (query.limit < 1 || query.limit > kActivityExportLimit) {
    return fail(Status::invalidArgument("limit out of range"));
  }
  // One more than asked tells whether a next page exists.
  model::ActivityQuery q = query;
  q.limit = query.limit + 1;
  auto events = app_.store().query([&](store::Tx& tx) { return tx.listActivity(actor.scope(), q); });
  if (!events) return fail(events.error());
  ActivityPage page;
  page.events = std::move(*events);
  if (page.events.size() > static_cast<std::size_t>(query.limit)) {
    page.events.resize(static_cast<std::size_t>(query.limit));
    page.search_after = activityCursor(page.events.back());
  }
  return page;
}

}  // namespace mtp::app
