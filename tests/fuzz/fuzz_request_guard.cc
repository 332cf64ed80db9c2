// libFuzzer target: the raw header scan that refuses a malformed Content-Length before
// Pistache's parser (http/request_guard.h), fed in two chunks split where the first byte says,
// as a connection's reads would arrive.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/request_guard.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t cut = text.empty() ? 0 : data[0] % (text.size() + 1);
  mtp::http::HeaderScanState state;
  if (!mtp::http::scanHeaderChunk(state, text.substr(0, cut))) (void)mtp::http::scanHeaderChunk(state, text.substr(cut));
  (void)mtp::http::validContentLength(text);
  return 0;
}
