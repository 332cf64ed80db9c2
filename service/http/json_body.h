// Strict JSON request bodies: Content-Type must be application/json (415), the body at most
// `max_bytes` (413), well-formed JSON (400), an object, and every key one the route allows
// (400 naming the first unknown field, so nothing can be mass-assigned). Typed getters say
// which field is missing or of the wrong type.
//
// Usage:
//   auto body = JsonBody::parse(ctx, {"name", "maxSystemUsers", "tags"});
//   if (!body) return std::unexpected(body.error());
//   auto name = body->requiredString("name");
//   if (!name) return std::unexpected(name.error());
//
// Thread-safety: a JsonBody is a value; use it from one thread.
#pragma once

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/errors.h"
#include "http/route_table.h"

namespace mtp::http {

class JsonBody {
 public:
  static std::expected<JsonBody, Status> parse(const RequestContext& ctx,
                                              std::initializer_list<std::string_view> allowed,
                                              std::size_t max_bytes = kDefaultMaxBody);
  // The same checks on a content type and a body as given.
  static std::expected<JsonBody, Status> parse(std::string_view content_type, std::string_view body,
                                              std::initializer_list<std::string_view> allowed,
                                              std::size_t max_bytes = kDefaultMaxBody);

  bool has(std::string_view field) const;
  // Present and null counts as absent for the optional getters.
  std::expected<std::string, Status> requiredString(std::string_view field) const;
  std::expected<std::optional<std::string>, Status> optionalString(std::string_view field) const;
  std::expected<bool, Status> requiredBool(std::string_view field) const;
  std::expected<std::optional<bool>, Status> optionalBool(std::string_view field) const;
  std::expected<std::optional<std::int64_t>, Status> optionalInt(
      std::string_view field, std::int64_t min = INT64_MIN, std::int64_t max = INT64_MAX) const;
  std::expected<std::optional<std::vector<std::string>>, Status> optionalStringArray(
      std::string_view field) const;

  const nlohmann::json& json() const { return j_; }

 private:
  explicit JsonBody(nlohmann::json j) : j_(std::move(j)) {}
  const nlohmann::json* find(std::string_view field) const;
  nlohmann::json j_;
};

// True if `content_type` is application/json (parameters such as charset=utf-8 allowed).
bool isJsonContentType(std::string_view content_type);

}  // namespace mtp::http
