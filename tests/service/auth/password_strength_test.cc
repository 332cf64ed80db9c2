// The strength half of the password policy (libpwquality + cracklib's dictionary): the weakest
// passwords of issue 10 item 9 are refused with a message naming the problem, and passphrases
// and random passwords of the policy's length pass.
#include "auth/password_strength.h"

#include <gtest/gtest.h>

#include "auth/password.h"

namespace mtp::auth {
namespace {

TEST(PasswordStrength, RefusesDictionaryWordsSequencesAndRepeats) {
  for (const char* weak : {"password1234", "123456789012", "Password1234!", "Summer2024!!", "abcdefghijkl",
                           "qwerty123456", "passwordpassword", "iloveyou1234", "111122223333"}) {
    auto why = checkPasswordStrength(weak);
    ASSERT_TRUE(why.has_value()) << weak;
    EXPECT_EQ(why->rfind("password is too weak: ", 0), 0u) << *why;
    // The policy as a whole (what every route calls) refuses them too.
    EXPECT_EQ(checkPasswordPolicy(weak), why) << weak;
  }
  EXPECT_EQ(checkPasswordStrength("password1234"),
            "password is too weak: it is a dictionary word with digits or symbols added");
  EXPECT_EQ(checkPasswordStrength("123456789012"), "password is too weak: it is too simplistic/systematic");
}

TEST(PasswordStrength, AcceptsPassphrasesAndRandomPasswords) {
  for (const char* good : {"correct horse battery", "correct horse battery staple", "another long passphrase 42",
                           "k8Jd2mQx9Lp4", "hdjwqpzmvkxe", "blue-kettle-42-river", "Demo-User-Password-1",
                           "Tr0ub4dor&3xyz", "äöüßéèàçñøåæ", "K7QXM-2PZRT-W9LHD-4NBVE"}) {
    EXPECT_EQ(checkPasswordStrength(good), std::nullopt) << good;
    EXPECT_EQ(checkPasswordPolicy(good), std::nullopt) << good;
  }
}

}  // namespace
}  // namespace mtp::auth
