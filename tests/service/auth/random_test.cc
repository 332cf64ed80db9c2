#include "auth/random.h"

#include <gtest/gtest.h>

#include <set>

namespace mtp::auth {
namespace {

TEST(Random, NewIdIs24LowercaseHexAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = newId();
    ASSERT_EQ(id.size(), 24u);
    for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(Random, ToHex) { EXPECT_EQ(toHex(std::string("\x00\xff\x10", 3)), "00ff10"); }

}  // namespace
}  // namespace mtp::auth
