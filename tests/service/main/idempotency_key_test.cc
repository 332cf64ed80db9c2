// Issue 11 item 2: Idempotency-Key on POST, on both backends. A create retried with the same
// key makes one org and replays the first answer (Idempotent-Replayed: true); the same key
// with another body is 422; a key is scoped to its caller; a bad key is 400; a retry while the
// first is in flight is 409; an abandoned reservation runs again only when nothing committed.
#include <gtest/gtest.h>

#include "auth/digest.h"
#include "service_fixture.h"
#include "store/idempotency_store.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class IdempotencyKeyTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFailure() || IsSkipped()) return;
    p = createProvider("MSP");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  }
  std::string orgs() const { return "/api/v2/providers/" + p + "/organizations"; }
  int named(const std::string& name) {
    int n = 0;
    const auto page = body(call("GET", orgs() + "?limit=100", owner.token));
    EXPECT_TRUE(page.contains("results")) << page.dump();
    if (!page.contains("results")) return -1;
    for (const auto& o : page["results"]) n += o["name"] == name;
    return n;
  }
  int events(const std::string& type) {
    int n = 0;
    for (const auto& e : activity(p)) n += e.event_type == type;
    return n;
  }
  static std::string sha(const std::string& s) { return auth::sha256Hex(s); }
  store::IdempotencyRecord row() {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getIdempotencyKey(key_hash_); });
    EXPECT_TRUE(r.has_value());
    return r.value_or(store::IdempotencyRecord{});
  }
  std::string key_hash_, request_hash_;
  std::string p;
  SeededAdmin owner;
};

TEST_P(IdempotencyKeyTest, ARetriedCreateMakesOneOrgAndReplaysTheAnswer) {
  const std::string req = R"({"name":"Once Corp"})";
  auto first = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "create-once-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.header("idempotent-replayed"), "");
  auto again = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "create-once-1"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(named("Once Corp"), 1);
  EXPECT_EQ(events("organization_create"), 1);

  // The same key with another body: 422, nothing made.
  auto other = call("POST", orgs(), owner.token, R"({"name":"Other Corp"})", {{"Idempotency-Key", "create-once-1"}});
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(body(other)["error"]["code"], "unprocessable");
  EXPECT_EQ(named("Other Corp"), 0);

  // Another caller's same key is another key.
  auto second = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  auto theirs = call("POST", orgs(), second.token, req, {{"Idempotency-Key", "create-once-1"}});
  EXPECT_EQ(theirs.status, 201);
  EXPECT_EQ(theirs.header("idempotent-replayed"), "");
  EXPECT_EQ(named("Once Corp"), 2);

  // Without a key: as before (two creates, two orgs).
  EXPECT_EQ(call("POST", orgs(), owner.token, R"({"name":"Twice"})").status, 201);
  EXPECT_EQ(call("POST", orgs(), owner.token, R"({"name":"Twice"})").status, 201);
  EXPECT_EQ(named("Twice"), 2);
}

TEST_P(IdempotencyKeyTest, A4xxIsReplayedAndABadKeyIs400) {
  auto bad = call("POST", orgs(), owner.token, R"({"name":""})", {{"Idempotency-Key", "k-400"}});
  ASSERT_EQ(bad.status, 400);
  auto again = call("POST", orgs(), owner.token, R"({"name":""})", {{"Idempotency-Key", "k-400"}});
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(call("POST", orgs(), owner.token, R"({"name":"Long"})", {{"Idempotency-Key", std::string(256, 'k')}}).status, 400);
  EXPECT_EQ(call("POST", orgs(), owner.token, R"({"name":"Ctl"})", {{"Idempotency-Key", "a\tb"}}).status, 400);
  EXPECT_EQ(named("Long") + named("Ctl"), 0);
  EXPECT_EQ(call("POST", orgs(), owner.token, R"({"name":"Max"})", {{"Idempotency-Key", std::string(255, 'k')}}).status, 201);
}

// The reservation states, driven through the store: in flight → 409; abandoned (its lease
// over) without a committed write → runs again; abandoned after a committed write → 409,
// never a second run.
TEST_P(IdempotencyKeyTest, InFlightAndAbandonedReservations) {
  const std::string req = R"({"name":"Reserved Corp"})";
  auto first = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "k-res"}});
  ASSERT_EQ(first.status, 201);
  // The hashes as the pipeline makes them.
  key_hash_ = sha(owner.id + "\n" + p + "\n" + "POST" + "\n" + orgs() + "\n" + "k-res");
  request_hash_ = sha("\n" + req);
  // The create's own transaction set `committed`; the answer was stored after it.
  auto stored = row();
  EXPECT_TRUE(stored.committed);
  EXPECT_EQ(stored.status, 201);
  EXPECT_EQ(stored.body, first.body);
  // Turn the stored answer back into an unfinished reservation, still leased.
  auto rewrite = [&](bool committed, std::int64_t lease_until) {
    auto done = app().store().transact([&](store::Tx& tx) -> Result<void> {
      if (auto gone = tx.deleteIdempotencyKey(key_hash_); !gone) return gone;
      store::IdempotencyRecord r;
      r.key_hash = key_hash_;
      r.request_hash = request_hash_;
      r.created = now();
      r.lease_until = lease_until;
      r.committed = committed;
      return tx.putIdempotencyKey(r);
    });
    ASSERT_TRUE(done.has_value());
  };
  rewrite(false, now() + 60);
  auto r = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "k-res"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_FALSE(r.header("retry-after").empty());

  rewrite(true, now() - 1);
  r = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "k-res"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(named("Reserved Corp"), 1);

  rewrite(false, now() - 1);
  r = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "k-res"}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("idempotent-replayed"), "");
  EXPECT_EQ(named("Reserved Corp"), 2);
  // ... and its answer is now the stored one.
  r = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "k-res"}});
  EXPECT_EQ(r.header("idempotent-replayed"), "true");
  EXPECT_EQ(named("Reserved Corp"), 2);
}

// Records older than 24 h are purged (by the next keyed request, at most every 10 minutes):
// the key is then new again.
TEST_P(IdempotencyKeyTest, RecordsExpireAfter24Hours) {
  const std::string req = R"({"name":"Day Corp"})";
  ASSERT_EQ(call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "k-day"}}).status, 201);
  advance(24 * 3600 + 1);
  owner.token = mintToken(p, owner.id);  // the old session expired meanwhile
  auto r = call("POST", orgs(), owner.token, req, {{"Idempotency-Key", "k-day"}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("idempotent-replayed"), "");
  EXPECT_EQ(named("Day Corp"), 2);
}

MTP_SERVICE_BACKENDS(IdempotencyKeyTest);

}  // namespace
}  // namespace mtp::testing
