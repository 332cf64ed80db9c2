#include "http/json_body.h"

#include <gtest/gtest.h>

namespace mtp::http {
namespace {

constexpr auto kJson = "application/json";

TEST(JsonBody, ParsesAllowedFieldsAndTypedGetters) {
  auto b = JsonBody::parse(kJson, R"({"name":"Acme","maxSystemUsers":5,"tags":["a","b"],"on":true})",
                           {"name", "maxSystemUsers", "tags", "on"});
  ASSERT_TRUE(b.has_value()) << b.error().message;
  EXPECT_EQ(*b->requiredString("name"), "Acme");
  EXPECT_EQ(*b->optionalInt("maxSystemUsers", 0, 100), 5);
  EXPECT_EQ(**b->optionalStringArray("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*b->requiredBool("on"), true);
  EXPECT_EQ(*b->optionalString("absent"), std::nullopt);
}

TEST(JsonBody, ContentTypeMustBeJson) {
  for (auto ct : {"", "text/plain", "application/x-www-form-urlencoded", "application/jsonx"}) {
    auto b = JsonBody::parse(ct, "{}", {});
    ASSERT_FALSE(b.has_value()) << ct;
    EXPECT_EQ(b.error().code, Status::Code::kUnsupportedMediaType) << ct;
  }
  EXPECT_TRUE(JsonBody::parse("application/json; charset=utf-8", "{}", {}).has_value());
  EXPECT_TRUE(JsonBody::parse("Application/JSON", "{}", {}).has_value());
}

TEST(JsonBody, MalformedJsonIsInvalidArgument) {
  for (auto body : {"", "{", "{\"a\":}", "nul", "{\"a\":1}garbage"}) {
    auto b = JsonBody::parse(kJson, body, {"a"});
    ASSERT_FALSE(b.has_value()) << body;
    EXPECT_EQ(b.error().code, Status::Code::kInvalidArgument) << body;
  }
}

TEST(JsonBody, NonObjectIsRefused) {
  auto b = JsonBody::parse(kJson, "[1,2]", {});
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().message, "request body must be a JSON object");
}

TEST(JsonBody, UnknownFieldIsRefusedByName) {
  auto b = JsonBody::parse(kJson, R"({"name":"x","role":"admin_billing"})", {"name"});
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, Status::Code::kInvalidArgument);
  EXPECT_EQ(b.error().message, "unknown field `role`");
}

TEST(JsonBody, ADuplicateFieldIsRefusedAtAnyDepth) {
  // Ambiguous: nlohmann keeps the last, a proxy or a log may keep the first.
  auto b = JsonBody::parse(kJson, R"({"password":"a","name":"x","password":"b"})", {"name", "password"});
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, Status::Code::kInvalidArgument);
  EXPECT_EQ(b.error().message, "field `password` appears twice");
  auto nested = JsonBody::parse(kJson, R"({"users":[{"id":"1","id":"2"}]})", {"users"});
  ASSERT_FALSE(nested.has_value());
  EXPECT_EQ(nested.error().message, "field `id` appears twice");
  // The same key in two objects, or as a value, is fine.
  EXPECT_TRUE(JsonBody::parse(kJson, R"({"users":[{"id":"1"},{"id":"2"}],"id":"id"})", {"users", "id"}).has_value());
}

TEST(JsonBody, OversizedBodyIs413) {
  auto b = JsonBody::parse(kJson, std::string(100, ' ') + "{}", {}, 50);
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, Status::Code::kPayloadTooLarge);
}

TEST(JsonBody, GettersNameTheFieldAndTheProblem) {
  auto b = *JsonBody::parse(kJson, R"({"name":5,"n":"x","big":1000,"arr":[1],"flag":"yes"})",
                            {"name", "n", "big", "arr", "flag", "email"});
  EXPECT_EQ(b.requiredString("email").error().message, "field `email` is required");
  EXPECT_EQ(b.requiredString("name").error().message, "field `name` must be a string, not a number");
  EXPECT_EQ(b.optionalInt("n").error().message, "field `n` must be an integer");
  EXPECT_EQ(b.optionalInt("big", 0, 10).error().message, "field `big` must be between 0 and 10");
  EXPECT_EQ(b.optionalStringArray("arr").error().message, "field `arr` must be an array of strings");
  EXPECT_EQ(b.optionalBool("flag").error().message, "field `flag` must be a boolean, not a string");
}

TEST(JsonBody, NullCountsAsAbsentForOptionalFields) {
  auto b = *JsonBody::parse(kJson, R"({"a":null})", {"a"});
  EXPECT_EQ(*b.optionalString("a"), std::nullopt);
  EXPECT_FALSE(b.requiredString("a").has_value());
}

}  // namespace
}  // namespace mtp::http
