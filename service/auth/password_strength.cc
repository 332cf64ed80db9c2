#include "auth/password_strength.h"

#include <pwquality.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <memory>
#include <mutex>

namespace mtp::auth {
namespace {

struct SettingsFree {
  void operator()(pwquality_settings_t* s) const { pwquality_free_settings(s); }
};
using Settings = std::unique_ptr<pwquality_settings_t, SettingsFree>;

// pwquality's own minimum length (6): our policy checks the length in code points before.
Settings makeSettings() {
  Settings s(pwquality_default_settings());
  if (!s) return s;
  pwquality_set_int_value(s.get(), PWQ_SETTING_MIN_LENGTH, 6);
  pwquality_set_int_value(s.get(), PWQ_SETTING_DICT_CHECK, 1);
  return s;
}

std::mutex mu;  // cracklib's FascistCheck is not reentrant

std::string describe(int code, void* aux) {
  char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
  const char* text = pwquality_strerror(buf, sizeof buf, code, aux);
  std::string out = text ? text : "it is too simple";
  // "The password fails the dictionary check - it is based on a dictionary word" -> the reason.
  if (auto dash = out.find(" - "); dash != std::string::npos) out = out.substr(dash + 3);
  else if (out.rfind("The password ", 0) == 0) out = "it " + out.substr(13);
  return "password is too weak: " + out;
}

// The password without the digits, symbols and spaces at either end, lower-cased.
std::string core(std::string_view pw) {
  auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  std::size_t b = 0, e = pw.size();
  while (b < e && !letter(pw[b])) ++b;
  while (e > b && !letter(pw[e - 1])) --e;
  std::string out(pw.substr(b, e - b));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool dictionaryMissing(int code, void* aux) {
  if (code != PWQ_ERROR_CRACKLIB_CHECK || aux == nullptr) return false;
  const std::string why(static_cast<const char*>(aux));
  return why.find("dictionary") != std::string::npos && why.find("error") != std::string::npos;
}

}  // namespace

std::optional<std::string> checkPasswordStrength(std::string_view password) {
  static const Settings settings = makeSettings();
  static std::once_flag warned;
  if (!settings) return std::nullopt;
  const std::string pw(password);
  std::lock_guard lock(mu);
  void* aux = nullptr;
  int q = pwquality_check(settings.get(), pw.c_str(), nullptr, nullptr, &aux);
  if (q < 0 && dictionaryMissing(q, aux)) {
    std::call_once(warned, [] { spdlog::error("password strength: the cracklib dictionary cannot be loaded (install cracklib-runtime)"); });
    return std::nullopt;
  }
  if (q < 0) return describe(q, aux);
  // The core: a dictionary word with digits or symbols around it is still that word.
  std::string c = core(pw);
  // A word said twice or more (`passwordpassword`) is that word.
  for (std::size_t unit = 1; unit <= c.size() / 2; ++unit) {
    if (c.size() % unit != 0) continue;
    bool repeats = true;
    for (std::size_t i = unit; i < c.size() && repeats; ++i) repeats = c[i] == c[i - unit];
    if (repeats) {
      c.resize(unit);
      break;
    }
  }
  if (c.size() >= 4 && c.size() < pw.size()) {
    aux = nullptr;
    q = pwquality_check(settings.get(), c.c_str(), nullptr, nullptr, &aux);
    if (q == PWQ_ERROR_CRACKLIB_CHECK && !dictionaryMissing(q, aux))
      return "password is too weak: it is a dictionary word with digits or symbols added";
  }
  return std::nullopt;
}

}  // namespace mtp::auth
