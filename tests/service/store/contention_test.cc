// Concurrent read-modify-writes through the store's transactions, on both databases, with real
// threads: each unit reads a row, changes one field (with a little work in between, as a use
// case does) and writes its activity event with the `from` it read (issue 11, items 1 and 6).
// Asserted: no change is lost, every event's `from` is the value the row held, and exactly one
// event per real state change (unlock, lock-out), however many callers race.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <latch>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "store_backends.h"

namespace mtp::store {
namespace {

using test_db::BackendNames;
using test_db::Backends;

// The work a use case does between its read and its write (validation, building the event).
void work() { std::this_thread::sleep_for(std::chrono::milliseconds(3)); }

std::string changeJson(const std::string& field, const std::string& from, const std::string& to) {
  return R"([{"field":")" + field + R"(","from":")" + from + R"(","to":")" + to + R"("}])";
}

// The value of "from" in an event written by changeJson (values have no quotes).
std::string fromOf(const std::string& json) {
  const std::string key = R"("from":")";
  const auto at = json.find(key) + key.size();
  return json.substr(at, json.find('"', at) - at);
}

template <class B>
class ContentionTest : public ::testing::Test {
 protected:
  static constexpr int kThreads = 8;

  void SetUp() override {
    std::string why;
    if (!backend_.available(&why)) GTEST_SKIP() << why;
    StoreOptions o;
    o.url = backend_.url();
    o.pool_size = kThreads;
    auto s = openStore(o);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->migrate());
    ASSERT_TRUE(store_->transact([&](Tx& tx) { return tx.createProvider(scope_, {}); }));
    OrganizationRecord org;
    org.name = "Acme";
    auto id = store_->transact([&](Tx& tx) { return tx.createOrganization(scope_, org); });
    ASSERT_TRUE(id) << id.error().message;
    org_ = *id;
    SystemUserRecord user;
    user.org_id = org_;
    user.username = "alice";
    user.firstname = "Alice";
    user.lastname = "Smith";
    user.state = UserState::kActivated;
    auto uid = store_->transact([&](Tx& tx) { return tx.createSystemUser(scope_, user, "$hash"); });
    ASSERT_TRUE(uid) << uid.error().message;
    user_ = *uid;
    // A warm pool, as a running server has: every connection open before the races.
    race(kThreads, [&](int) {
      return store_->query([&](Tx& tx) -> Result<void> {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (auto p = tx.getProvider(scope_); !p) return fail(p.error());
        return {};
      });
    });
  }

  // Runs fn(i) on n threads that start together; returns how many units failed.
  int race(int n, const std::function<Result<void>(int)>& fn) {
    std::latch start(n);
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        if (auto r = fn(i); !r) {
          ADD_FAILURE() << "unit " << i << ": " << r.error().message;
          ++failed;
        }
      });
    }
    for (auto& t : threads) t.join();
    return failed.load();
  }

  Result<void> event(Tx& tx, const std::string& type, const std::string& resource,
                     const std::string& json) {
    ActivityRecord e;
    e.event_type = type;
    e.initiated_by_type = "system";
    e.organization = org_;
    e.resource_type = type.starts_with("org") ? "organization" : "user";
    e.resource_id = resource;
    e.changes_json = json;
    auto id = tx.appendActivity(scope_, e);
    if (!id) return fail(id.error());
    return {};
  }

  std::vector<ActivityRecord> events(const std::string& type) {
    ActivityQuery q;
    q.event_type = type;
    q.limit = 10000;
    auto got = store_->query([&](Tx& tx) { return tx.listActivity(scope_, q); });
    EXPECT_TRUE(got) << got.error().message;
    return got.value_or(std::vector<ActivityRecord>{});
  }

  // One unit as OrganizationService::update does it: read, change one field, write, event.
  Result<void> updateOrgField(int field, int round) {
    return store_->transact([&](Tx& tx) -> Result<void> {
      auto cur = tx.getOrganization(scope_, org_);
      if (!cur) return fail(cur.error());
      OrganizationRecord next = *cur;
      work();
      switch (field % 4) {
        case 0: next.name = "Acme " + std::to_string(round); break;
        case 1: next.max_system_users = round + 1; break;
        case 2: next.remote_assist = round % 2 == 0; break;
        case 3: next.tags = {"round-" + std::to_string(round)}; break;
      }
      if (auto ok = tx.updateOrganization(scope_, next); !ok) return ok;
      return event(tx, "organization_update", org_, changeJson("f", "x", "y"));
    });
  }

  B backend_;
  std::unique_ptr<Store> store_;
  TenantScope scope_{"p" + test_db::uniqueName()};
  std::string org_, user_;
};

TYPED_TEST_SUITE(ContentionTest, Backends, BackendNames);

TYPED_TEST(ContentionTest, ConcurrentUpdatesOfDifferentOrgFieldsAreAllKept) {
  constexpr int kRounds = 10;
  int lost = 0;
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_EQ(this->race(4, [&](int field) { return this->updateOrgField(field, round); }), 0);
    auto org = this->store_->query([&](Tx& tx) { return tx.getOrganization(this->scope_, this->org_); });
    ASSERT_TRUE(org);
    lost += (org->name != "Acme " + std::to_string(round)) +
            (org->max_system_users != round + 1) + (org->remote_assist != (round % 2 == 0)) +
            (org->tags != std::vector<std::string>{"round-" + std::to_string(round)});
  }
  EXPECT_EQ(lost, 0) << lost << " of " << 4 * kRounds << " field updates lost";
}

TYPED_TEST(ContentionTest, ConcurrentUpdatesOfFirstnameAndLastnameAreBothKept) {
  constexpr int kRounds = 10;
  int lost = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string first = "First" + std::to_string(round);
    const std::string last = "Last" + std::to_string(round);
    EXPECT_EQ(this->race(2,
                         [&](int which) {
                           return this->store_->transact([&](Tx& tx) -> Result<void> {
                             auto cur = tx.getSystemUser(this->scope_, this->org_, this->user_);
                             if (!cur) return fail(cur.error());
                             SystemUserRecord next = *cur;
                             work();
                             (which == 0 ? next.firstname : next.lastname) =
                                 which == 0 ? first : last;
                             return tx.updateSystemUser(this->scope_, next);
                           });
                         }),
              0);
    auto u = this->store_->query(
        [&](Tx& tx) { return tx.getSystemUser(this->scope_, this->org_, this->user_); });
    ASSERT_TRUE(u);
    lost += (u->firstname != first) + (u->lastname != last);
  }
  EXPECT_EQ(lost, 0) << lost << " of " << 2 * kRounds << " name updates lost";
}

TYPED_TEST(ContentionTest, ConcurrentRenamesRecordTheNameTheyReplaced) {
  constexpr int kPerThread = 5;
  const int n = this->kThreads;
  EXPECT_EQ(this->race(n,
                       [&](int t) -> Result<void> {
                         for (int k = 0; k < kPerThread; ++k) {
                           auto r = this->store_->transact([&](Tx& tx) -> Result<void> {
                             auto cur = tx.getOrganization(this->scope_, this->org_);
                             if (!cur) return fail(cur.error());
                             OrganizationRecord next = *cur;
                             next.name = "Name-" + std::to_string(t) + "-" + std::to_string(k);
                             work();
                             if (auto ok = tx.updateOrganization(this->scope_, next); !ok) return ok;
                             return this->event(tx, "organization_rename", this->org_,
                                                changeJson("name", cur->name, next.name));
                           });
                           if (!r) return r;
                         }
                         return {};
                       }),
            0);
  // A serial history is a chain: every name is replaced at most once, so no two events have
  // the same `from`. A stale read shows as a `from` that an earlier rename already replaced.
  auto evs = this->events("organization_rename");
  ASSERT_EQ(evs.size(), static_cast<std::size_t>(n * kPerThread));
  std::map<std::string, int> froms;
  for (const auto& e : evs) ++froms[fromOf(e.changes_json)];
  int stale = 0;
  for (const auto& [from, times] : froms) stale += times - 1;
  EXPECT_EQ(stale, 0) << stale << " of " << evs.size() << " rename events have a stale `from`";
}

TYPED_TEST(ContentionTest, ConcurrentUnlocksRecordOneUnlock) {
  ASSERT_TRUE(this->store_->transact([&](Tx& tx) {
    return tx.recordSystemUserFailedLogin(this->scope_, this->org_, this->user_, 1);
  }));
  constexpr int kUnlocks = 20;
  EXPECT_EQ(this->race(kUnlocks,
                       [&](int) {
                         return this->store_->transact([&](Tx& tx) -> Result<void> {
                           auto cur = tx.getSystemUser(this->scope_, this->org_, this->user_);
                           if (!cur) return fail(cur.error());
                           work();
                           if (auto ok = tx.unlockSystemUser(this->scope_, this->org_, this->user_); !ok) {
                             return ok;
                           }
                           return this->event(tx, "user_unlocked", this->user_,
                                              changeJson("account_locked",
                                                         cur->account_locked ? "true" : "false",
                                                         "false"));
                         });
                       }),
            0);
  int unlocked = 0;
  for (const auto& e : this->events("user_unlocked")) unlocked += fromOf(e.changes_json) == "true";
  EXPECT_EQ(unlocked, 1) << unlocked << " events say the account went from locked to unlocked";
}

TYPED_TEST(ContentionTest, ConcurrentWrongPasswordsLockOutOnce) {
  constexpr int kAttempts = 12;
  constexpr int kLockAfter = 3;
  EXPECT_EQ(this->race(kAttempts,
                       [&](int) {
                         // As UserLoginService does: count, and write the lock-out event when
                         // the count reaches the policy's limit.
                         return this->store_->transact([&](Tx& tx) -> Result<void> {
                           auto n = tx.recordSystemUserFailedLogin(this->scope_, this->org_,
                                                                   this->user_, kLockAfter);
                           if (!n) return fail(n.error());
                           if (*n >= kLockAfter) {
                             return this->event(tx, "user_lockout", this->user_,
                                                changeJson("account_locked", "false", "true"));
                           }
                           return {};
                         });
                       }),
            0);
  EXPECT_EQ(this->events("user_lockout").size(), 1u);
  auto u = this->store_->query(
      [&](Tx& tx) { return tx.getSystemUser(this->scope_, this->org_, this->user_); });
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->account_locked);
  EXPECT_EQ(u->failed_logins, kLockAfter);
}

}  // namespace
}  // namespace mtp::store
