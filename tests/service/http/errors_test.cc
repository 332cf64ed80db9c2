#include "http/errors.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <tuple>
#include <vector>

namespace mtp::http {
namespace {

// The one renderer: every code of the one status type → its HTTP status and its body, as the
// spec spells them (the factories are the ones the store, the use cases and the handlers use).
TEST(Errors, EveryCodeHasTheSpecsNameStatusAndBody) {
  const std::vector<std::tuple<Status, std::string, int>> table = {
      {Status::invalidArgument("bad field"), "invalid_argument", 400},
      {Status::unauthenticated(), "unauthenticated", 401},
      {Status::mfaRequired(), "mfa_required", 401},
      {Status::permissionDenied("dec1"), "permission_denied", 403},
      {Status::notFound(), "not_found", 404},
      {Status::conflict("name taken"), "conflict", 409},
      {Status::preconditionFailed("version mismatch"), "precondition_failed", 412},
      {Status::payloadTooLarge(), "payload_too_large", 413},
      {Status::unsupportedMediaType(), "unsupported_media_type", 415},
      {Status::unprocessable("key reused"), "unprocessable", 422},
      {Status::tooManyRequests(3), "too_many_requests", 429},
      {Status::unavailable(), "unavailable", 503},
      {Status::internal("database error: relation x does not exist"), "internal", 500},
  };
  ASSERT_EQ(table.size(), 13u);  // every code of Status::Code
  for (const auto& [status, name, http] : table) {
    EXPECT_EQ(errorCodeName(status.code), name);
    EXPECT_EQ(httpStatus(status.code), http) << name;
    EXPECT_EQ(httpStatus(status), http) << name;
    nlohmann::json err = {{"code", name}, {"message", status.message}, {"requestId", "rid"}};
    if (!status.decision_id.empty()) err["decisionId"] = status.decision_id;
    EXPECT_EQ(nlohmann::json::parse(renderErrorBody(status, "rid")), (nlohmann::json{{"error", err}}))
        << name;
  }
}

TEST(Errors, FactoryMessagesAreTheOnesClientsRead) {
  EXPECT_EQ(Status::unauthenticated().message, "authentication required");
  EXPECT_EQ(Status::mfaRequired().message, "multi-factor authentication required");
  EXPECT_EQ(Status::permissionDenied("d").message, "permission denied");
  EXPECT_EQ(Status::notFound().message, "not found");
  EXPECT_EQ(Status::payloadTooLarge().message, "request body too large");
  EXPECT_EQ(Status::unsupportedMediaType().message, "content type must be application/json");
  EXPECT_EQ(Status::tooManyRequests(1).message, "too many requests");
  EXPECT_EQ(Status::unavailable().message, "service unavailable");
  EXPECT_EQ(Status::internal("db text").message, "internal error");
}

// The detail (database text, the store's own words) is for the log: never in a body.
TEST(Errors, DetailIsNeverRendered) {
  const std::string nf = renderErrorBody(Status::notFound().withDetail("device d1 not found"), "r");
  EXPECT_EQ(nlohmann::json::parse(nf)["error"]["message"], "not found");
  EXPECT_EQ(nf.find("d1"), std::string::npos);
  const std::string in = renderErrorBody(Status::internal("database error: secret"), "r");
  EXPECT_EQ(nlohmann::json::parse(in)["error"]["message"], "internal error");
  EXPECT_EQ(in.find("secret"), std::string::npos);
  // An internal error whose message was set by hand still reads "internal error".
  Status odd = Status::internal();
  odd.message = "SELECT * FROM admins";
  EXPECT_EQ(nlohmann::json::parse(renderErrorBody(odd, "r"))["error"]["message"], "internal error");
  EXPECT_EQ(Status::notFound().withDetail("x").text(), "x");
  EXPECT_EQ(Status::conflict("taken").text(), "taken");
}

TEST(Errors, RetryAfterForTooManyRequestsAndUnavailable) {
  EXPECT_EQ(retryAfterSeconds(Status::tooManyRequests(7)), 7);
  EXPECT_EQ(retryAfterSeconds(Status::unavailable(2)), 2);
  EXPECT_EQ(retryAfterSeconds(Status::unavailable(0)), 1);  // at least 1
  EXPECT_EQ(retryAfterSeconds(Status::notFound()), 0);
  Status busy = Status::conflict("a request with this Idempotency-Key is in progress");
  busy.retry_after = 1;
  EXPECT_EQ(retryAfterSeconds(busy), 1);
}

TEST(Errors, RenderedBodyHasTheSpecsShape) {
  auto j = nlohmann::json::parse(renderErrorBody(Status::conflict("name taken"), "rid1"));
  EXPECT_EQ(j, (nlohmann::json{{"error", {{"code", "conflict"}, {"message", "name taken"}, {"requestId", "rid1"}}}}));
}

TEST(Errors, PermissionDeniedCarriesTheDecisionId) {
  auto j = nlohmann::json::parse(renderErrorBody(Status::permissionDenied("dec9"), "rid1"));
  EXPECT_EQ(j["error"]["code"], "permission_denied");
  EXPECT_EQ(j["error"]["decisionId"], "dec9");
}

TEST(Errors, MethodNotAllowedIs405) {
  EXPECT_EQ(httpStatus(Status::methodNotAllowed({"GET"})), 405);
  EXPECT_EQ(httpStatus(Status::notFound()), 404);
}

TEST(Errors, InvalidUtf8InAMessageDoesNotThrow) {
  std::string body;
  EXPECT_NO_THROW(body = renderErrorBody(Status::invalidArgument("bad \xff field"), "r"));
  EXPECT_TRUE(nlohmann::json::accept(body));
}

}  // namespace
}  // namespace mtp::http
