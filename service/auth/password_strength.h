// The strength half of the password policy: refuses the weakest passwords with libpwquality
// (Debian's libpwquality, whose dictionary check is cracklib's, with the dictionary of
// cracklib-runtime), so that `password1234` or `123456789012` are refused for admins and org
// users alike. checkPasswordPolicy() (auth/password.h) calls it after the length rules.
//
// Two checks, each with a message for the user:
//  - the whole password through pwquality_check (dictionary words and their common manglings,
//    sequences such as `abcdefghijkl` or `123456789012`, too few different characters);
//  - its core, the password without the digits and symbols at either end, lower-cased, against
//    the same dictionary: `password1234` or `Summer2024!!` are a dictionary word with a suffix.
//
// The system's /etc/security/pwquality.conf is NOT read: the rules are the same on every host.
// When the cracklib dictionary cannot be loaded the dictionary checks are skipped (the error is
// logged once) rather than refusing every password.
//
// Thread-safety: safe from any thread (calls are serialised: cracklib keeps static state).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mtp::auth {

// A message ("password is too weak: it is based on a dictionary word") or nullopt.
std::optional<std::string> checkPasswordStrength(std::string_view password);

}  // namespace mtp::auth
