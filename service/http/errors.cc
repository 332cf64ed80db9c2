#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace mtp::http {

using Code = Status::Code;

std::string_view errorCodeName(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kMfaRequired: return "mfa_required";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kNotFound: return "not_found";
    case Code::kConflict: return "conflict";
    case Code::kPreconditionFailed: return "precondition_failed";
    case Code::kPayloadTooLarge: return "payload_too_large";
    case Code::kUnsupportedMediaType: return "unsupported_media_type";
    case Code::kUnprocessable: return "unprocessable";
    case Code::kTooManyRequests: return "too_many_requests";
    case Code::kUnavailable: return "unavailable";
    case Code::kInternal: return "internal";
  }
  return "internal";
}

int httpStatus(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kMfaRequired: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kPreconditionFailed: return 412;
    case Code::kPayloadTooLarge: return 413;
    case Code::kUnsupportedMediaType: return 415;
    case Code::kUnprocessable: return 422;
    case Code::kTooManyRequests: return 429;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

int httpStatus(const Status& s) { return s.allow.empty() ? httpStatus(s.code) : 405; }

int retryAfterSeconds(const Status& s) {
  if (s.code == Code::kTooManyRequests || s.code == Code::kUnavailable) {
    return s.retry_after > 0 ? s.retry_after : 1;
  }
  return s.retry_after > 0 ? s.retry_after : 0;
}

std::string renderErrorBody(const Status& s, std::string_view request_id) {
  // The message only: an internal error always reads "internal error", whatever it holds.
  const std::string message = s.code == Code::kInternal ? "internal error" : s.message;
  nlohmann::json err = {{"code", errorCodeName(s.code)},
                        {"message", message},
                        {"requestId", request_id}};
  if (!s.decision_id.empty()) err["decisionId"] = s.decision_id;
  // Invalid UTF-8 in a message (user input echoed back) is replaced, never thrown.
  return nlohmann::json{{"error", std::move(err)}}.dump(-1, ' ', false,
                                                       nlohmann::json::error_handler_t::replace);
}

}  // namespace mtp::http
