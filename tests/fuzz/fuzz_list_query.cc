// libFuzzer target: the list query parser the service uses (limit, skip, sort, filter and
// unknown names, http/query.h). The input is a query string `name=value&name=value...`
// (values as decoded by the server), then the whole input as one sort and one filter value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/query.h"

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
  (void)mtp::http::parseListQuery({{"sort", std::string(text)}}, spec);
  (void)mtp::http::parseListQuery({{"filter", std::string(text)}}, spec);
  return 0;
}
