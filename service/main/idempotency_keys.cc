#include "main/idempotency_keys.h"

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mtp::service {

using Kind = http::IdempotencyKeys::Kind;

namespace {

// StoredAnswer::headers as the store keeps them: "Name: value" lines (the values of Location
// and ETag hold no line break).
std::string encodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) out += name + ": " + value + "\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> decodeHeaders(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    out.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  return out;
}

}  // namespace

StoreIdempotencyKeys::StoreIdempotencyKeys(store::Store& store, std::function<std::int64_t()> clock,
                                           std::chrono::seconds lease, std::chrono::seconds keep)
    : store_(store), clock_(std::move(clock)), lease_(lease.count()), keep_(keep.count()) {}

void StoreIdempotencyKeys::purgeNowAndThen(std::int64_t now) {
  std::int64_t due = next_purge_.load();
  if (now < due || !next_purge_.compare_exchange_strong(due, now + 600)) return;
  auto purged = store_.transact([&](store::Tx& tx) { return tx.purgeIdempotencyKeys(now - keep_); });
  if (!purged) spdlog::warn("idempotency keys: purge failed: {}", purged.error().text());
}

http::IdempotencyKeys::Begin StoreIdempotencyKeys::begin(const std::string& key_hash,
                                                         const std::string& request_hash) {
  const std::int64_t now = clock_();
  purgeNowAndThen(now);
  Begin out;
  auto fresh = [&] {
    store::IdempotencyRecord r;
    r.key_hash = key_hash;
    r.request_hash = request_hash;
    r.created = now;
    r.lease_until = now + lease_;
    return r;
  };
  auto done = store_.transact([&](store::Tx& tx) -> Result<void> {
    auto cur = tx.getIdempotencyKey(key_hash);  // held until the commit
    if (!cur && !cur.error().isNotFound()) return fail(cur.error());
    if (!cur || cur->created < now - keep_) {
      out.kind = Kind::kRun;
      return tx.putIdempotencyKey(fresh());
    }
    if (cur->request_hash != request_hash) {
      out.kind = Kind::kMismatch;
      return {};
    }
    if (cur->status) {
      out.kind = Kind::kReplay;
      out.answer = http::StoredAnswer{*cur->status, cur->content_type, cur->body, decodeHeaders(cur->headers)};
      return {};
    }
    if (cur->lease_until > now) {
      out.kind = Kind::kInFlight;
      return {};
    }
    // An abandoned reservation (a crash, a 5xx): run again only if nothing of it committed.
    if (cur->committed) {
      out.kind = Kind::kAlreadyApplied;
      return {};
    }
    out.kind = Kind::kRun;
    return tx.putIdempotencyKey(fresh());
  });
  if (!done) {
    // Two first requests at once: the second insert meets the first's row.
    if (done.error().isConflict()) return Begin{Kind::kInFlight, {}};
    spdlog::warn("idempotency key: reservation failed: {}", done.error().text());
    return Begin{Kind::kUnavailable, {}};
  }
  return out;
}

void StoreIdempotencyKeys::runMarked(const std::string& key_hash, const std::function<void()>& fn) {
  store::IdempotencyMark mark(key_hash);
  fn();
}

void StoreIdempotencyKeys::finish(const std::string& key_hash, const http::StoredAnswer* answer) {
  const std::int64_t now = clock_();
  auto done = store_.transact([&](store::Tx& tx) -> Result<void> {
    auto cur = tx.getIdempotencyKey(key_hash);
    if (!cur) {
      if (cur.error().isNotFound()) return {};  // purged meanwhile: nothing to keep
      return fail(cur.error());
    }
    if (answer == nullptr) {
      // Given up: a retry runs again, unless a write committed (then it learns so: 409).
      if (!cur->committed) return tx.deleteIdempotencyKey(key_hash);
      cur->lease_until = now;
      return tx.putIdempotencyKey(*cur);
    }
    cur->status = answer->status;
    cur->content_type = answer->content_type;
    cur->body = answer->body;
    cur->headers = encodeHeaders(answer->headers);
    return tx.putIdempotencyKey(*cur);
  });
  // The reservation stays: retries answer 409 until its lease ends, then run again only if
  // nothing committed.
  if (!done) spdlog::warn("idempotency key: answer not stored: {}", done.error().text());
}

void StoreIdempotencyKeys::forget(const std::string& key_hash) {
  auto done = store_.transact([&](store::Tx& tx) { return tx.deleteIdempotencyKey(key_hash); });
  // Left behind, the reservation ends with its lease (then runs again or answers 409).
  if (!done) spdlog::warn("idempotency key: reservation not removed: {}", done.error().text());
}

}  // namespace mtp::service
