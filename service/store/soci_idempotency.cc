// SociTx: Idempotency-Key records (store/idempotency_store.h) and the thread's mark.
#include <soci/soci.h>

#include "store/idempotency_store.h"
#include "store/soci_exec.h"

namespace mtp::store {

namespace {
thread_local const std::string* t_mark = nullptr;
}  // namespace

IdempotencyMark::IdempotencyMark(std::string key_hash) : key_hash_(std::move(key_hash)), outer_(t_mark) {
  t_mark = &key_hash_;
}

IdempotencyMark::~IdempotencyMark() { t_mark = outer_; }

const std::string* IdempotencyMark::current() { return t_mark; }

namespace detail {

Result<IdempotencyRecord> SociTx::getIdempotencyKey(const std::string& key_hash) {
  return guarded([&]() -> Result<IdempotencyRecord> {
    SqlParams p;
    IdempotencyRecord r;
    long long created = 0, lease = 0;
    int committed = 0, status = 0;
    soci::indicator status_ind = soci::i_ok, type_ind = soci::i_ok, body_ind = soci::i_ok;
    bool found = false;
    select(sql_,
           "SELECT key_hash, request_hash, " + d_.ts("created") + ", " + d_.ts("lease_until") +
               ", committed, status, content_type, body, headers FROM idempotency_keys WHERE key_hash = " +
               p.text(key_hash) + lockClause(),
           p,
           [&](auto& pt) {
             pt, soci::into(r.key_hash), soci::into(r.request_hash), soci::into(created),
                 soci::into(lease), soci::into(committed), soci::into(status, status_ind),
                 soci::into(r.content_type, type_ind), soci::into(r.body, body_ind),
                 soci::into(r.headers);
           },
           [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("idempotency key not found"));
    r.created = created;
    r.lease_until = lease;
    r.committed = committed != 0;
    if (status_ind != soci::i_null) r.status = status;
    if (type_ind == soci::i_null) r.content_type.clear();
    if (body_ind == soci::i_null) r.body.clear();
    return r;
  });
}

Result<void> SociTx::putIdempotencyKey(const IdempotencyRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams del;
    exec(sql_, "DELETE FROM idempotency_keys WHERE key_hash = " + del.text(r.key_hash), del);
    SqlParams p;
    std::optional<long long> status;
    if (r.status) status = *r.status;
    exec(sql_,
         "INSERT INTO idempotency_keys (key_hash, request_hash, created, lease_until, committed, "
         "status, content_type, body, headers) VALUES (" +
             p.text(r.key_hash) + ", " + p.text(r.request_hash) + ", " +
             d_.tsParam(p.integer(r.created)) + ", " + d_.tsParam(p.integer(r.lease_until)) + ", " +
             p.boolean(r.committed) + ", " + p.optInteger(status) + ", " +
             p.optText(r.status ? std::optional<std::string>(r.content_type) : std::nullopt) + ", " +
             p.optText(r.status ? std::optional<std::string>(r.body) : std::nullopt) + ", " +
             p.text(r.status ? r.headers : std::string()) + ")",
         p);
    return {};
  });
}

Result<void> SociTx::deleteIdempotencyKey(const std::string& key_hash) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    exec(sql_, "DELETE FROM idempotency_keys WHERE key_hash = " + p.text(key_hash), p);
    return {};
  });
}

Result<std::int64_t> SociTx::purgeIdempotencyKeys(UnixTime before) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    return static_cast<std::int64_t>(exec(
        sql_, "DELETE FROM idempotency_keys WHERE created < " + d_.tsParam(p.integer(before)), p));
  });
}

void SociTx::markIdempotencyCommitted(const std::string& key_hash) {
  SqlParams p;
  exec(sql_, "UPDATE idempotency_keys SET committed = 1 WHERE key_hash = " + p.text(key_hash), p);
}

}  // namespace detail
}  // namespace mtp::store
