#include "auth/password.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace mtp::auth {
namespace {

TEST(PasswordHasher, HashThenVerify) {
  PasswordHasher hasher;
  auto h = hasher.hash("correct horse battery staple");
  ASSERT_TRUE(h.has_value());
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_EQ(hasher.verify(*h, "correct horse battery staple"), PasswordStatus::kOk);
  EXPECT_EQ(hasher.verify(*h, "correct horse battery stapl"), PasswordStatus::kMismatch);
  EXPECT_FALSE(PasswordHasher::needsRehash(*h));
}

TEST(PasswordHasher, SamePasswordHashesDifferently) {
  PasswordHasher hasher;
  EXPECT_NE(*hasher.hash("a long enough password"), *hasher.hash("a long enough password"));
}

TEST(PasswordHasher, GarbageStoredHashIsAMismatchNotACrash) {
  PasswordHasher hasher;
  EXPECT_EQ(hasher.verify("", "whatever password"), PasswordStatus::kMismatch);
  EXPECT_EQ(hasher.verify("$argon2id$garbage", "whatever password"), PasswordStatus::kMismatch);
  EXPECT_EQ(hasher.verify("plaintext", "plaintext"), PasswordStatus::kMismatch);
}

TEST(PasswordHasher, DummyVerifyAlwaysMismatches) {
  PasswordHasher hasher;
  EXPECT_EQ(hasher.verifyDummy("anything at all"), PasswordStatus::kMismatch);
  EXPECT_EQ(hasher.verifyDummy(""), PasswordStatus::kMismatch);
}

TEST(PasswordHasher, DummyVerifyTakesAboutAsLongAsARealOne) {
  PasswordHasher hasher;
  auto h = *hasher.hash("the real password 1");
  auto time = [](auto fn) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) fn();
    return std::chrono::steady_clock::now() - t0;
  };
  auto real = time([&] { (void)hasher.verify(h, "a wrong password"); });
  auto dummy = time([&] { (void)hasher.verifyDummy("a wrong password"); });
  double ratio = std::chrono::duration<double>(dummy) / std::chrono::duration<double>(real);
  EXPECT_GT(ratio, 0.5);
  EXPECT_LT(ratio, 2.0);
}

TEST(PasswordHasher, ExcessCallersGetBusyInsteadOfQueueingForever) {
  PasswordHasher hasher(/*max_in_flight=*/1, std::chrono::milliseconds(1));
  auto h = *hasher.hash("the real password 1");
  std::atomic<int> busy{0}, done{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      auto s = hasher.verify(h, "the real password 1");
      if (s == PasswordStatus::kBusy) ++busy;
      else if (s == PasswordStatus::kOk) ++done;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(done.load(), 1);
  EXPECT_GE(busy.load(), 1);
  EXPECT_EQ(done + busy, 6);
  // The slots are given back: a later call succeeds.
  EXPECT_EQ(hasher.verify(h, "the real password 1"), PasswordStatus::kOk);
}

TEST(PasswordHasher, BoundedCallersAnswerBusyAtOnceWhileOneIsHashing) {
  // A long wait and room in the queue: without the bound a second caller would wait its turn.
  PasswordHasher hasher(/*max_in_flight=*/1, std::chrono::seconds(5), /*queue=*/8);
  hasher.limitCallers(1);
  auto h = *hasher.hash("the real password 1");
  std::atomic<bool> stop{false};
  std::thread first([&] {  // one caller hashing, again and again
    while (!stop) static_cast<void>(hasher.verify(h, "the real password 1"));
  });
  bool busy = false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!busy && std::chrono::steady_clock::now() < until)
    busy = hasher.verifyDummy("anything at all") == PasswordStatus::kBusy;
  stop = true;
  first.join();
  EXPECT_TRUE(busy) << "a second caller was never refused";
  // Alone again: admitted, including the nested dummy of a foreign hash.
  EXPECT_EQ(hasher.verify(h, "the real password 1"), PasswordStatus::kOk);
  EXPECT_EQ(hasher.verify("not an argon hash", "x"), PasswordStatus::kMismatch);
}

TEST(PasswordPolicy, Rules) {
  EXPECT_EQ(checkPasswordPolicy("correct horse battery"), std::nullopt);
  EXPECT_EQ(checkPasswordPolicy("äöüßéèàçñøåæ"), std::nullopt);  // 12 code points, 24 bytes
  EXPECT_EQ(checkPasswordPolicy("short"), "password must be at least 12 characters");
  EXPECT_EQ(checkPasswordPolicy("äöüäöüäöüäö"), "password must be at least 12 characters");
  EXPECT_EQ(checkPasswordPolicy(std::string(129, 'a') + "b"), "password must be at most 128 characters");
  EXPECT_EQ(checkPasswordPolicy("aaaaaaaaaaaaaaaa"), "password must not be a single repeated character");
  EXPECT_EQ(checkPasswordPolicy("tab\there is bad"), "password must not contain control characters");
  EXPECT_EQ(checkPasswordPolicy("bad utf8 \xff\xfe here"), "password must be valid UTF-8");
}

}  // namespace
}  // namespace mtp::auth
