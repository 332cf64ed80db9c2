// The PostgreSQL change feed: one libpq connection per replica that LISTENs on
// "mtp:<schema>" (the triggers of schema 7 pg_notify it inside the writing transaction, so a
// notification arrives on commit only). A lost connection is an error; the next wait()
// reconnects and reports a gap (whatever was sent meanwhile is gone).
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <mutex>

#include "store/change_feed_impl.h"
#include "store/util.h"

namespace mtp::store::detail {
namespace {

class PgChangeFeed final : public ChangeFeed {
 public:
  explicit PgChangeFeed(std::string conninfo) : conninfo_(std::move(conninfo)) {
    if (::pipe2(wake_.data(), O_CLOEXEC | O_NONBLOCK) != 0) wake_ = {-1, -1};
  }
  ~PgChangeFeed() override {
    disconnect();
    for (int fd : wake_) {
      if (fd >= 0) ::close(fd);
    }
  }

  Result<ChangeBatch> wait(std::chrono::milliseconds timeout) override {
    ChangeBatch batch;
    if (conn_ == nullptr) {
      if (auto c = connect(); !c) return fail(c.error());
      batch.gap = true;
    }
    std::array<pollfd, 2> fds{pollfd{PQsocket(conn_), POLLIN, 0}, pollfd{wake_[0], POLLIN, 0}};
    const int n = ::poll(fds.data(), wake_[0] >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
    if (n > 0 && (fds[1].revents & POLLIN)) {
      char buf[64];
      while (::read(wake_[0], buf, sizeof buf) > 0) {
      }
    }
    if (n > 0 && fds[0].revents != 0) {
      if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) {
        disconnect();
        return fail(detail::storeUnavailable("change feed: connection lost"));
      }
    } else if (n == 0 && ++idle_waits_ * timeout.count() >= 5000) {
      // Quiet for 5 s: make sure the server is still there (a dead peer sends nothing).
      idle_waits_ = 0;
      PGresult* r = PQexec(conn_, "SELECT 1");
      const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
      PQclear(r);
      if (!ok || PQstatus(conn_) != CONNECTION_OK) {
        disconnect();
        return fail(detail::storeUnavailable("change feed: connection lost"));
      }
    }
    while (PGnotify* note = PQnotifies(conn_)) {
      Change c;
      if (parseChange(note->extra, c)) batch.changes.push_back(std::move(c));
      PQfreemem(note);
      idle_waits_ = 0;
    }
    return batch;
  }

  void interrupt() override {
    if (wake_[1] >= 0) {
      const char b = 1;
      [[maybe_unused]] auto w = ::write(wake_[1], &b, 1);
    }
  }

 private:
  Result<void> connect() {
    conn_ = PQconnectdb(conninfo_.c_str());
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    if (PQstatus(conn_) != CONNECTION_OK) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: cannot connect"));
    }
    PGresult* r = PQexec(conn_, "SELECT current_schema()");
    std::string schema;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
      schema = PQgetvalue(r, 0, 0);
    }
    PQclear(r);
    if (schema.empty()) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: no current schema"));
    }
    const std::string channel = "mtp:" + schema;
    char* quoted = PQescapeIdentifier(conn_, channel.c_str(), channel.size());
    if (quoted == nullptr) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: bad channel name"));
    }
    const std::string listen = std::string("LISTEN ") + quoted;
    PQfreemem(quoted);
    r = PQexec(conn_, listen.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
      disconnect();
      return fail(detail::storeUnavailable("change feed: LISTEN failed"));
    }
    PQsetnonblocking(conn_, 1);
    idle_waits_ = 0;
    return {};
  }

  void disconnect() {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
  }

  std::string conninfo_;
  PGconn* conn_ = nullptr;
  std::array<int, 2> wake_{-1, -1};
  long long idle_waits_ = 0;
};

}  // namespace

std::unique_ptr<ChangeFeed> makePgChangeFeed(const std::string& conninfo) {
  return std::make_unique<PgChangeFeed>(conninfo);
}

}  // namespace mtp::store::detail
