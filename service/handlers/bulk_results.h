// The one renderer of per-item bulk results (POST .../users/actions, POST
// .../home/admins_without_mfa/actions): each item answers its own status, as the whole
// request would have (the same mapping as any error: http/errors.h).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "http/errors.h"

namespace mtp::handlers {

// How an item's error is written: the users' bulk route publishes the error object
// {code, message[, decisionId]}; the Home MFA route's published schema has the message only.
enum class BulkError { kObject, kMessage };

// `item` (the fields naming it) with "status": 200 when `error` is empty, else the error's
// HTTP status and "error" in `shape`.
nlohmann::json bulkItem(nlohmann::json item, const std::optional<Status>& error,
                        BulkError shape = BulkError::kObject);

}  // namespace mtp::handlers
