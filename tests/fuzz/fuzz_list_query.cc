// libFuzzer target: the list query parsers: the HTTP one (limit, skip, sort, filter and
// unknown names, http/query.h) and the store's sort and filter grammar (store/list_query.h).
// The input is a query string `name=value&name=value...` (values as decoded by the server).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/query.h"
#include "store/list_query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mtp::http::Params query;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    const auto pair = text.substr(pos, amp - pos);
    const auto eq = pair.find('=');
    query.emplace_back(std::string(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    pos = amp + 1;
  }
  static const mtp::http::ListSpec spec{{"name", "created", "email"}, {"name", "created", "email", "status"}, {"q"}};
  (void)mtp::http::parseListQuery(query, spec);
  for (const auto& [name, value] : query) {
    if (name == "sort") (void)mtp::store::parseSort(value);
    if (name == "filter") (void)mtp::store::parseFilter(value);
  }
  (void)mtp::store::parseSort(text);
  (void)mtp::store::parseFilter(text);
  return 0;
}
