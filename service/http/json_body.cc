#include "http/json_body.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace mtp::http {

namespace {

std::string fieldName(std::string_view field) { return "`" + std::string(field) + "`"; }

std::string_view typeName(const nlohmann::json& j) {
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

// Field names are echoed in messages: keep them printable and short.
std::string safeField(std::string_view f) {
  std::string out;
  for (char c : f.substr(0, 64)) out.push_back(std::isprint(static_cast<unsigned char>(c)) ? c : '?');
  return out;
}

// Parses `body`, noting the first key that appears twice in one object (nlohmann keeps the
// last one; a reader in front of mtpd, a proxy, a WAF or a log, may keep the first, so such a
// body is ambiguous and refused).
nlohmann::json parseNotingDuplicates(std::string_view body, std::string& duplicate) {
  using Event = nlohmann::json::parse_event_t;
  std::vector<std::set<std::string>> objects;  // the keys of each open object
  auto note = [&](int, Event e, nlohmann::json& parsed) {
    if (e == Event::object_start) {
      objects.emplace_back();
    } else if (e == Event::object_end) {
      if (!objects.empty()) objects.pop_back();
    } else if (e == Event::key && !objects.empty() && parsed.is_string()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!objects.back().insert(key).second && duplicate.empty()) duplicate = key;
    }
    return true;
  };
  return nlohmann::json::parse(body, note, /*allow_exceptions=*/false);
}

}  // namespace

bool isJsonContentType(std::string_view ct) {
  auto semi = ct.find(';');
  std::string_view type = ct.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  std::string t(type);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t == "application/json";
}

std::expected<JsonBody, Status> JsonBody::parse(const RequestContext& ctx,
                                               std::initializer_list<std::string_view> allowed,
                                               std::size_t max_bytes) {
  return parse(ctx.header("content-type").value_or(""), ctx.body(), allowed,
               std::min(max_bytes, ctx.route().max_body));
}

std::expected<JsonBody, Status> JsonBody::parse(std::string_view content_type, std::string_view body,
                                               std::initializer_list<std::string_view> allowed,
                                               std::size_t max_bytes) {
  if (body.size() > max_bytes) return std::unexpected(Status::payloadTooLarge());
  if (!isJsonContentType(content_type)) return std::unexpected(Status::unsupportedMediaType());
  std::string duplicate;
  nlohmann::json j = parseNotingDuplicates(body, duplicate);
  if (j.is_discarded()) return std::unexpected(Status::invalidArgument("request body is not valid JSON"));
  if (!duplicate.empty()) {
    return std::unexpected(Status::invalidArgument("field " + fieldName(safeField(duplicate)) + " appears twice"));
  }
  if (!j.is_object()) return std::unexpected(Status::invalidArgument("request body must be a JSON object"));
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return std::unexpected(Status::invalidArgument("unknown field " + fieldName(safeField(key))));
    }
  }
  return JsonBody(std::move(j));
}

const nlohmann::json* JsonBody::find(std::string_view field) const {
  auto it = j_.find(field);
  if (it == j_.end()) return nullptr;
  return &*it;
}

bool JsonBody::has(std::string_view field) const { return find(field) != nullptr; }

std::expected<std::string, Status> JsonBody::requiredString(std::string_view field) const {
  const auto* v = find(field);
  if (!v || v->is_null()) return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " is required"));
  if (!v->is_string()) {
    return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " must be a string, not " +
                                                  std::string(typeName(*v))));
  }
  return v->get<std::string>();
}

std::expected<std::optional<std::string>, Status> JsonBody::optionalString(std::string_view field) const {
  const auto* v = find(field);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " must be a string, not " +
                                                  std::string(typeName(*v))));
  }
  return std::optional<std::string>(v->get<std::string>());
}

std::expected<bool, Status> JsonBody::requiredBool(std::string_view field) const {
  auto b = optionalBool(field);
  if (!b) return std::unexpected(b.error());
  if (!*b) return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " is required"));
  return **b;
}

std::expected<std::optional<bool>, Status> JsonBody::optionalBool(std::string_view field) const {
  const auto* v = find(field);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_boolean()) {
    return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " must be a boolean, not " +
                                                  std::string(typeName(*v))));
  }
  return std::optional<bool>(v->get<bool>());
}

std::expected<std::optional<std::int64_t>, Status> JsonBody::optionalInt(std::string_view field,
                                                                        std::int64_t min,
                                                                        std::int64_t max) const {
  const auto* v = find(field);
  if (!v || v->is_null()) return std::optional<std::int64_t>();
  if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX)) {
    return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " must be an integer"));
  }
  std::int64_t n = v->get<std::int64_t>();
  if (n < min || n > max) {
    return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " must be between " +
                                                  std::to_string(min) + " and " + std::to_string(max)));
  }
  return std::optional<std::int64_t>(n);
}

std::expected<std::optional<std::vector<std::string>>, Status> JsonBody::optionalStringArray(
    std::string_view field) const {
  const auto* v = find(field);
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) {
    return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " must be an array of strings"));
  }
  std::vector<std::string> out;
  for (const auto& e : *v) {
    if (!e.is_string()) {
      return std::unexpected(Status::invalidArgument("field " + fieldName(field) + " must be an array of strings"));
    }
    out.push_back(e.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

}  // namespace mtp::http
