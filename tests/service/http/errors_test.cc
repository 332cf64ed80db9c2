#include "http/errors.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mtp::http {
namespace {

TEST(Errors, EveryCodeHasTheSpecsNameAndStatus) {
  const std::vector<std::tuple<ErrorCode, std::string, int>> table = {
      {ErrorCode::kInvalidArgument, "invalid_argument", 400},
      {ErrorCode::kUnauthenticated, "unauthenticated", 401},
      {ErrorCode::kMfaRequired, "mfa_required", 401},
      {ErrorCode::kPermissionDenied, "permission_denied", 403},
      {ErrorCode::kNotFound, "not_found", 404},
      {ErrorCode::kConflict, "conflict", 409},
      {ErrorCode::kPreconditionFailed, "precondition_failed", 412},
      {ErrorCode::kPayloadTooLarge, "payload_too_large", 413},
      {ErrorCode::kUnsupportedMediaType, "unsupported_media_type", 415},
      {ErrorCode::kUnprocessable, "unprocessable", 422},
      {ErrorCode::kTooManyRequests, "too_many_requests", 429},
      {ErrorCode::kUnavailable, "unavailable", 503},
      {ErrorCode::kInternal, "internal", 500},
  };
  for (const auto& [code, name, status] : table) {
    EXPECT_EQ(errorCodeName(code), name);
    EXPECT_EQ(httpStatus(code), status) << name;
  }
}

TEST(Errors, RenderedBodyHasTheSpecsShape) {
  auto j = nlohmann::json::parse(renderErrorBody(Error::conflict("name taken"), "rid1"));
  EXPECT_EQ(j, (nlohmann::json{{"error", {{"code", "conflict"}, {"message", "name taken"}, {"requestId", "rid1"}}}}));
}

TEST(Errors, PermissionDeniedCarriesTheDecisionId) {
  auto j = nlohmann::json::parse(renderErrorBody(Error::permissionDenied("dec9"), "rid1"));
  EXPECT_EQ(j["error"]["code"], "permission_denied");
  EXPECT_EQ(j["error"]["decisionId"], "dec9");
}

TEST(Errors, MethodNotAllowedIs405) {
  EXPECT_EQ(httpStatus(Error::methodNotAllowed({"GET"})), 405);
  EXPECT_EQ(httpStatus(Error::notFound()), 404);
}

TEST(Errors, InvalidUtf8InAMessageDoesNotThrow) {
  std::string body;
  EXPECT_NO_THROW(body = renderErrorBody(Error::invalidArgument("bad \xff field"), "r"));
  EXPECT_TRUE(nlohmann::json::accept(body));
}

}  // namespace
}  // namespace mtp::http
