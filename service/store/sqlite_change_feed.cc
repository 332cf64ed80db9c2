// The SQLite change feed (one machine): the triggers of schema 7 append to change_log in the
// writing transaction; this feed checks the newest seq (one index probe) at every poll and
// reads the rows after the last one it has seen. A first row past last+1 means the log was
// trimmed past us (more than 10,000 changes between two polls): a gap.
#include <sqlite3.h>

#include <condition_variable>
#include <mutex>

#include "store/change_feed_impl.h"
#include "store/util.h"

namespace mtp::store::detail {
namespace {

class SqliteChangeFeed final : public ChangeFeed {
 public:
  explicit SqliteChangeFeed(std::string path) : path_(std::move(path)) {}
  ~SqliteChangeFeed() override { disconnect(); }

  Result<ChangeBatch> wait(std::chrono::milliseconds timeout) override {
    ChangeBatch batch;
    if (db_ == nullptr) {
      if (auto c = connect(); !c) return fail(c.error());
      auto top = newest();
      if (!top) return fail(top.error());
      last_ = *top;
      batch.gap = true;
      return batch;
    }
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, timeout, [this] { return woken_; });
      woken_ = false;
    }
    auto top = newest();
    if (!top) return fail(top.error());
    if (*top == last_) return batch;
    if (*top < last_) {  // the database was replaced under us
      last_ = *top;
      batch.gap = true;
      return batch;
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT seq, kind, ref FROM change_log WHERE seq > ? ORDER BY seq",
                           -1, &st, nullptr) != SQLITE_OK) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: cannot read change_log"));
    }
    sqlite3_bind_int64(st, 1, last_);
    const long long from = last_;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const long long seq = sqlite3_column_int64(st, 0);
      if (seq != last_ + 1 && last_ == from) batch.gap = true;
      last_ = seq;
      Change c;
      c.kind = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
      c.id = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
      batch.changes.push_back(std::move(c));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: cannot read change_log"));
    }
    return batch;
  }

  void interrupt() override {
    std::lock_guard lock(mu_);
    woken_ = true;
    cv_.notify_all();
  }

 private:
  Result<void> connect() {
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: cannot open the database"));
    }
    sqlite3_busy_timeout(db_, 5000);
    return {};
  }

  Result<long long> newest() {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT COALESCE(MAX(seq), 0) FROM change_log", -1, &st, nullptr) !=
        SQLITE_OK) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: no change_log (schema older than 7?)"));
    }
    long long top = 0;
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) top = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: cannot read change_log"));
    }
    return top;
  }

  void disconnect() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  long long last_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
};

}  // namespace

std::unique_ptr<ChangeFeed> makeSqliteChangeFeed(const std::string& path) {
  return std::make_unique<SqliteChangeFeed>(path);
}

}  // namespace mtp::store::detail
