#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace mtp::http {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kMfaRequired: return "mfa_required";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kPreconditionFailed: return "precondition_failed";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::kUnprocessable: return "unprocessable";
    case ErrorCode::kTooManyRequests: return "too_many_requests";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

int httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kMfaRequired: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPreconditionFailed: return 412;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

int httpStatus(const Error& e) { return e.allow.empty() ? httpStatus(e.code) : 405; }

std::string renderErrorBody(const Error& e, std::string_view request_id) {
  nlohmann::json err = {{"code", errorCodeName(e.code)},
                        {"message", e.message},
                        {"requestId", request_id}};
  if (!e.decision_id.empty()) err["decisionId"] = e.decision_id;
  // Invalid UTF-8 in a message (user input echoed back) is replaced, never thrown.
  return nlohmann::json{{"error", std::move(err)}}.dump(-1, ' ', false,
                                                       nlohmann::json::error_handler_t::replace);
}

}  // namespace mtp::http
