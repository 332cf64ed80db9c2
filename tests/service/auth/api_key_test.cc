#include "auth/api_key.h"

#include <gtest/gtest.h>

namespace mtp::auth {
namespace {

const std::string kPepper = "0123456789abcdef0123456789abcdef";

TEST(ApiKey, GeneratedKeyHasShapeAndPrefix) {
  auto g = generateApiKey();
  EXPECT_EQ(g.key.size(), 44u);
  EXPECT_TRUE(g.key.starts_with("mtp_"));
  EXPECT_TRUE(looksLikeApiKey(g.key));
  EXPECT_EQ(g.prefix, g.key.substr(4, 4));
  EXPECT_NE(generateApiKey().key, g.key);
}

TEST(ApiKey, LooksLikeApiKeyRejectsOtherShapes) {
  EXPECT_FALSE(looksLikeApiKey(""));
  EXPECT_FALSE(looksLikeApiKey("mtp_short"));
  EXPECT_FALSE(looksLikeApiKey("xyz_0123456789012345678901234567890123456789"));
  EXPECT_FALSE(looksLikeApiKey("mtp_012345678901234567890123456789012345678Z"));
  EXPECT_EQ(apiKeyDisplayPrefix("nope"), "");
}

TEST(ApiKey, HashVerifiesOnlyTheSameKeyWithTheSamePepper) {
  ApiKeyHasher hasher(kPepper);
  auto g = generateApiKey();
  std::string h = hasher.hash(g.key);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, hasher.hash(g.key));
  EXPECT_TRUE(hasher.verify(g.key, h));
  EXPECT_FALSE(hasher.verify(generateApiKey().key, h));
  EXPECT_FALSE(hasher.verify(g.key, h.substr(1)));
  ApiKeyHasher other(std::string(32, 'p'));
  EXPECT_FALSE(other.verify(g.key, h));
}

TEST(ApiKey, ShortPepperIsRefused) { EXPECT_THROW(ApiKeyHasher("short"), std::invalid_argument); }

}  // namespace
}  // namespace mtp::auth
