// Errors as values for the store: no exception crosses store.h. A small closed set of codes
// that the HTTP layer maps to answers (kUnavailable → 503 with Retry-After, kConflict → 409,
// kNotFound → 404, kInvalidArgument → 400, kFailedPrecondition → 412, kInternal → 500).
// `message` may contain database text for kInternal: log it, never send it to a client.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace mtp::store {

struct Status {
  enum class Code { kInvalidArgument, kNotFound, kConflict, kFailedPrecondition, kUnavailable, kInternal };
  Code code = Code::kInternal;
  std::string message;

  static Status invalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status notFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status failedPrecondition(std::string m) {
    return {Code::kFailedPrecondition, std::move(m)};
  }
  static Status unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool isNotFound() const { return code == Code::kNotFound; }
  bool isConflict() const { return code == Code::kConflict; }
  bool isUnavailable() const { return code == Code::kUnavailable; }
};

inline std::string_view statusCodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument: return "invalid_argument";
    case Status::Code::kNotFound: return "not_found";
    case Status::Code::kConflict: return "conflict";
    case Status::Code::kFailedPrecondition: return "failed_precondition";
    case Status::Code::kUnavailable: return "unavailable";
    case Status::Code::kInternal: return "internal";
  }
  return "internal";
}

template <class T>
using Result = std::expected<T, Status>;

// `return fail(Status::notFound("..."));` inside a function returning any Result<T>.
inline std::unexpected<Status> fail(Status s) { return std::unexpected<Status>(std::move(s)); }

}  // namespace mtp::store
