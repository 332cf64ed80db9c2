// Errors as values: no exception crosses the engine's public headers.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace mtp::engine {

struct Status {
  enum class Code { kInvalidArgument, kNotFound, kFailedPrecondition, kInternal };
  Code code = Code::kInternal;
  std::string message;

  static Status invalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status notFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status failedPrecondition(std::string m) {
    return {Code::kFailedPrecondition, std::move(m)};
  }
  static Status internal(std::string m) { return {Code::kInternal, std::move(m)}; }
};

template <class T, class E = Status>
using Result = std::expected<T, E>;

}  // namespace mtp::engine
