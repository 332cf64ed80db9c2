#include "auth/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "auth/random.h"

namespace mtp::auth {
namespace {

const std::string kKeyA(32, 'a');
const std::string kKeyB(32, 'b');

TEST(SecretBox, SealsAndOpensWithAFreshNonceEachTime) {
  SecretBox box(kKeyA);
  const std::string a = box.seal("private key 123");
  const std::string b = box.seal("private key 123");
  EXPECT_NE(a, b);  // a random nonce per value
  EXPECT_TRUE(a.starts_with("v1:" + box.keyId() + ":")) << a;
  EXPECT_EQ(a.find("private"), std::string::npos);
  ASSERT_TRUE(box.open(a).has_value());
  EXPECT_EQ(*box.open(a), "private key 123");
  EXPECT_EQ(*box.open(box.seal("")), "");
}

TEST(SecretBox, TamperedValueIsRefused) {
  SecretBox box(kKeyA);
  std::string s = box.seal("secret");
  const auto payload = s.rfind(':') + 1;
  s[payload + 5] = s[payload + 5] == 'A' ? 'B' : 'A';
  auto opened = box.open(s);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().find("secret\""), std::string::npos);
  EXPECT_FALSE(box.open("v1:" + box.keyId() + ":").has_value());
  EXPECT_FALSE(box.open("plain text").has_value());
  EXPECT_FALSE(box.open("v2:" + box.keyId() + ":AAAA").has_value());
}

TEST(SecretBox, WrongKeyIsRefused) {
  SecretBox a(kKeyA), b(kKeyB);
  EXPECT_FALSE(b.open(a.seal("x")).has_value());  // unknown key id
  // The same key id with another key (a forged id) fails authentication.
  std::string s = a.seal("x");
  std::string forged = "v1:" + b.keyId() + s.substr(s.rfind(':'));
  EXPECT_FALSE(b.open(forged).has_value());
}

TEST(SecretBox, RotationOpensOldValuesAndSealsWithTheNewKey) {
  SecretBox before(kKeyA);
  const std::string old_value = before.seal("old secret");
  SecretBox after(kKeyB, kKeyA);
  ASSERT_TRUE(after.open(old_value).has_value());
  EXPECT_EQ(*after.open(old_value), "old secret");
  EXPECT_TRUE(after.needsResealing(old_value));
  const std::string resealed = after.seal(*after.open(old_value));
  EXPECT_FALSE(after.needsResealing(resealed));
  EXPECT_TRUE(resealed.starts_with("v1:" + after.keyId() + ":"));
  EXPECT_FALSE(before.open(resealed).has_value());  // the old key alone no longer opens it
  SecretBox dropped(kKeyB);                          // the previous key retired
  EXPECT_FALSE(dropped.open(old_value).has_value());
}

TEST(SecretBox, KeyFileIsCreated0600AndReused) {
  const auto dir = std::filesystem::temp_directory_path() / ("mtp-secretbox-" + randomHex(6));
  std::filesystem::create_directories(dir);
  auto first = SecretBox::fromKeyFiles(dir / "secrets.key");
  ASSERT_TRUE(first.has_value()) << first.error();
  struct stat st {};
  ASSERT_EQ(::stat((dir / "secrets.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = SecretBox::fromKeyFiles(dir / "secrets.key");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second->open(first->seal("v")), "v");
  EXPECT_FALSE(SecretBox::fromKeyFiles(dir / "secrets.key", dir / "missing.key").has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mtp::auth
