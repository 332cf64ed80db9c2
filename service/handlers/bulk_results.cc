#include "handlers/bulk_results.h"

#include <string>

namespace mtp::handlers {

nlohmann::json bulkItem(nlohmann::json item, const std::optional<Status>& error, BulkError shape) {
  if (!error) {
    item["status"] = 200;
    return item;
  }
  item["status"] = http::httpStatus(*error);
  if (shape == BulkError::kMessage) {
    item["error"] = error->message;
    return item;
  }
  item["error"] = {{"code", std::string(http::errorCodeName(error->code))}, {"message", error->message}};
  if (!error->decision_id.empty()) item["error"]["decisionId"] = error->decision_id;
  return item;
}

}  // namespace mtp::handlers
