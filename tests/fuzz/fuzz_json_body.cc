// libFuzzer target: the strict JSON body reader (http/json_body.h) and its typed getters, on
// any bytes, with and without the JSON content type.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const std::string_view type = size > 0 && data[0] % 7 == 0 ? "text/plain" : "application/json; charset=utf-8";
  auto b = mtp::http::JsonBody::parse(type, body, {"name", "tags", "limit", "enabled", "note"}, 16 * 1024);
  if (!b) return 0;
  (void)b->has("name");
  (void)b->requiredString("name");
  (void)b->optionalString("note");
  (void)b->optionalStringArray("tags");
  (void)b->optionalInt("limit", -5, 1000);
  (void)b->optionalInt("limit");
  (void)b->requiredBool("enabled");
  (void)b->optionalBool("enabled");
  return 0;
}
