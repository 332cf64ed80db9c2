#include "auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <thread>

#include "auth/password_strength.h"
#include "auth/random.h"

namespace mtp::auth {

std::string_view passwordStatusName(PasswordStatus s) {
  switch (s) {
    case PasswordStatus::kOk: return "ok";
    case PasswordStatus::kMismatch: return "mismatch";
    case PasswordStatus::kBusy: return "busy";
    case PasswordStatus::kError: return "error";
  }
  return "error";
}

namespace {

// Decodes one UTF-8 code point at `i`; returns its length, or 0 if the sequence is invalid.
std::size_t utf8Next(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 0x2) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
    return 0;
  }
  return len;
}

}  // namespace

std::optional<std::string> checkPasswordPolicy(std::string_view password) {
  constexpr std::size_t kMin = 12, kMax = 128;
  std::size_t count = 0;
  char32_t first = 0;
  bool all_same = true;
  for (std::size_t i = 0; i < password.size();) {
    char32_t cp = 0;
    std::size_t len = utf8Next(password, i, cp);
    if (len == 0) return "password must be valid UTF-8";
    if (cp < 0x20 || cp == 0x7f) return "password must not contain control characters";
    if (count == 0) first = cp;
    else if (cp != first) all_same = false;
    ++count;
    i += len;
  }
  if (count < kMin) return "password must be at least 12 characters";
  if (count > kMax) return "password must be at most 128 characters";
  if (all_same) return "password must not be a single repeated character";
  return checkPasswordStrength(password);  // issue 10 item 9: no dictionary words, sequences
}

PasswordHasher::PasswordHasher(std::size_t max_in_flight, std::chrono::milliseconds wait, std::size_t queue)
    : max_in_flight_(max_in_flight != 0 ? max_in_flight
                                        : std::max<std::size_t>(2, std::thread::hardware_concurrency())),
      pool_(std::make_unique<HashPool>(max_in_flight_, queue != 0 ? queue : 4 * max_in_flight_, wait)) {
  ensureSodium();
  // A hash of a random password with today's limits: verifying against it costs the same
  // as verifying a real admin's hash, and nothing matches it.
  dummy_hash_.resize(crypto_pwhash_STRBYTES);
  std::string pw = randomHex(16);
  if (crypto_pwhash_str(dummy_hash_.data(), pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    dummy_hash_.clear();
  } else {
    dummy_hash_.resize(std::char_traits<char>::length(dummy_hash_.c_str()));
  }
}

class PasswordHasher::Admission {
 public:
  explicit Admission(PasswordHasher& h) : h_(h) {
    const std::size_t n = h_.callers_.fetch_add(1) + 1;
    ok_ = h_.max_callers_ == 0 || n <= h_.max_callers_;
  }
  ~Admission() { h_.callers_.fetch_sub(1); }
  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;
  bool ok() const { return ok_; }

 private:
  PasswordHasher& h_;
  bool ok_ = false;
};

std::expected<std::string, PasswordStatus> PasswordHasher::hash(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) return std::unexpected(PasswordStatus::kError);
  Admission in(*this);
  if (!in.ok()) return std::unexpected(PasswordStatus::kBusy);
  std::string out(crypto_pwhash_STRBYTES, '\0');
  int rc = -1;
  if (!pool_->run([&] {
        rc = crypto_pwhash_str(out.data(), password.data(), password.size(),
                               crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
      }))
    return std::unexpected(PasswordStatus::kBusy);
  if (rc != 0) return std::unexpected(PasswordStatus::kError);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

PasswordStatus PasswordHasher::verify(std::string_view stored_hash, std::string_view password) {
  if (password.size() > kMaxPasswordBytes) return PasswordStatus::kMismatch;
  // crypto_pwhash_str_verify wants a NUL-terminated string.
  Admission in(*this);
  if (!in.ok()) return PasswordStatus::kBusy;
  std::string stored(stored_hash);
  if (stored.rfind("$argon2", 0) != 0) {
    // Not a hash we made: do the same work anyway so timing says nothing.
    return verifyDummyAdmitted(password);
  }
  int rc = -1;
  if (!pool_->run([&] { rc = crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()); }))
    return PasswordStatus::kBusy;
  return rc == 0 ? PasswordStatus::kOk : PasswordStatus::kMismatch;
}

PasswordStatus PasswordHasher::verifyDummy(std::string_view password) {
  Admission in(*this);
  if (!in.ok()) return PasswordStatus::kBusy;
  return verifyDummyAdmitted(password);
}

PasswordStatus PasswordHasher::verifyDummyAdmitted(std::string_view password) {
  if (dummy_hash_.empty()) return PasswordStatus::kError;
  // Nothing matches the dummy: the answer is always "mismatch".
  if (!pool_->run([&] {
        int rc = crypto_pwhash_str_verify(dummy_hash_.c_str(), password.data(),
                                          std::min(password.size(), kMaxPasswordBytes));
        static_cast<void>(rc);
      }))
    return PasswordStatus::kBusy;
  return PasswordStatus::kMismatch;
}

bool PasswordHasher::needsRehash(std::string_view stored_hash) {
  ensureSodium();
  std::string stored(stored_hash);
  return crypto_pwhash_str_needs_rehash(stored.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

}  // namespace mtp::auth
