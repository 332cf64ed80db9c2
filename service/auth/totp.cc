#include "auth/totp.h"

#include <oath.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "auth/random.h"

namespace mtp::auth::totp {

namespace {

void ensureOath() {
  static std::once_flag once;
  std::call_once(once, [] { (void)oath_init(); });
}

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};

// Base32 decoding via liboath; nullopt on invalid input.
std::optional<std::string> decodeSecret(std::string_view b32) {
  ensureOath();
  if (b32.empty() || b32.size() > 256) return std::nullopt;
  std::string in(b32);
  char* out = nullptr;
  std::size_t out_len = 0;
  if (oath_base32_decode(in.c_str(), in.size(), &out, &out_len) != OATH_OK) return std::nullopt;
  std::unique_ptr<char, FreeDeleter> holder(out);
  if (out_len == 0) return std::nullopt;
  return std::string(out, out_len);
}

std::string percentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

}  // namespace

std::string generateSecret() {
  ensureOath();
  std::string raw = randomBytes(kSecretBytes);
  char* out = nullptr;
  std::size_t out_len = 0;
  if (oath_base32_encode(raw.data(), raw.size(), &out, &out_len) != OATH_OK) std::abort();
  std::unique_ptr<char, FreeDeleter> holder(out);
  std::string s(out, out_len);
  while (!s.empty() && s.back() == '=') s.pop_back();  // 20 bytes encode without padding anyway
  return s;
}

std::string otpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  std::string label = percentEncode(issuer) + ":" + percentEncode(account);
  return "otpauth://totp/" + label + "?secret=" + std::string(secret_base32) +
         "&issuer=" + percentEncode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::int64_t stepOf(std::time_t now) {
  return static_cast<std::int64_t>(now) / static_cast<std::int64_t>(kStepSeconds);
}

std::optional<std::int64_t> verify(std::string_view secret_base32, std::string_view code,
                                   std::time_t now, std::int64_t last_accepted_step) {
  if (code.size() != kDigits) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto secret = decodeSecret(secret_base32);
  if (!secret) return std::nullopt;
  std::string otp(code);
  int pos = 0;
  std::uint64_t counter = 0;
  int rc = oath_totp_validate3(secret->data(), secret->size(), now, kStepSeconds,
                               OATH_TOTP_DEFAULT_START_TIME, kWindow, &pos, &counter, otp.c_str());
  if (rc < 0) return std::nullopt;
  auto step = static_cast<std::int64_t>(counter);
  if (step <= last_accepted_step) return std::nullopt;  // a replay, or an older code
  return step;
}

std::string codeAt(std::string_view secret_base32, std::time_t t) {
  auto secret = decodeSecret(secret_base32);
  if (!secret) return {};
  char out[kDigits + 1] = {};
  if (oath_totp_generate(secret->data(), secret->size(), t, kStepSeconds,
                         OATH_TOTP_DEFAULT_START_TIME, kDigits, out) != OATH_OK) {
    return {};
  }
  return std::string(out, kDigits);
}

}  // namespace mtp::auth::totp
