// Prepared statements kept per database connection (issue 16 item 4). Preparing a statement
// is most of a small read's cost: SQLite parses and plans the text (a third of the CPU of
// `GET /api/v2/me`, measured with perf), PostgreSQL takes a round trip and a parse. A
// connection's cache prepares each text once and re-executes it with fresh bindings
// (`soci::statement::bind_clean_up`, then `exchange` and `define_and_bind`).
//
// Internal to the store. One cache per pooled connection (Pool::Slot), used by the one unit of
// work that leases it, so it needs no lock; it is emptied before its session is re-opened or
// destroyed, and a statement whose use threw is dropped (its state is unknown).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

namespace soci {
class session;
class statement;
}  // namespace soci

namespace mtp::store::detail {

class StatementCache {
 public:
  // At most `capacity` statements; when full, every one is dropped (run-time SQL texts, such
  // as list filters, cannot grow it without bound).
  explicit StatementCache(std::size_t capacity = 256);
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The statement for `query` on `session`, prepared on first use (may throw soci_error).
  soci::statement& get(soci::session& session, const std::string& query);
  void forget(const std::string& query);
  void clear();
  std::size_t size() const { return map_.size(); }

 private:
  std::size_t capacity_;
  std::unordered_map<std::string, std::unique_ptr<soci::statement>> map_;
};

// What SociTx runs its statements on: the leased session and, when there is one, its cache.
struct Connection {
  soci::session& session;
  StatementCache* statements = nullptr;
  operator soci::session&() const { return session; }  // NOLINT: a Connection is its session
};

}  // namespace mtp::store::detail
