// The one place that turns a Status (model/status.h) into HTTP: the status code of each code,
// the names the spec spells (spec/api.md) and the body `{"error":{"code","message","requestId"}}`.
// Nothing else in the service picks a status code for an error. A status's `detail` is never
// written: the pipeline logs it where the answer is sent.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "model/status.h"

namespace mtp::http {

// "invalid_argument", ... as the spec spells them.
std::string_view errorCodeName(Status::Code code);
int httpStatus(Status::Code code);

// The HTTP status of `s` (405 when `allow` is set, else httpStatus(s.code)).
int httpStatus(const Status& s);

// The Retry-After seconds of `s`, 0 for none: at least 1 for too_many_requests and
// unavailable, `retry_after` for any other code that sets it (a busy Idempotency-Key).
int retryAfterSeconds(const Status& s);

// `{"error":{"code":...,"message":...,"requestId":...[,"decisionId":...]}}`
std::string renderErrorBody(const Status& s, std::string_view request_id);

}  // namespace mtp::http
