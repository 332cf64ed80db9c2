#include "store/job_lock.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/util.h"

namespace mtp::store {
namespace {

// The first key of every MTP advisory lock ("mtpj"); the second is hashtext(schema:job).
constexpr const char* kLockSql =
    "SELECT pg_try_advisory_lock(1836347498, hashtext(current_schema() || ':' || $1))";

class PgJobLock final : public JobLock {
 public:
  PgJobLock(std::string conninfo, std::string job)
      : conninfo_(std::move(conninfo)), job_(std::move(job)) {}
  ~PgJobLock() override { disconnect(); }

  Result<bool> hold() override {
    if (conn_ == nullptr) {
      conn_ = PQconnectdb(conninfo_.c_str());
      PQsetNoticeProcessor(
          conn_, [](void*, const char*) {}, nullptr);
      if (PQstatus(conn_) != CONNECTION_OK) {
        disconnect();
        return fail(detail::storeUnavailable("job lock: cannot connect"));
      }
    }
    if (held_) {
      PGresult* r = PQexec(conn_, "SELECT 1");
      const bool alive = PQresultStatus(r) == PGRES_TUPLES_OK;
      PQclear(r);
      if (alive) return true;
      disconnect();  // the session, and with it the lock, is gone
      return false;
    }
    const char* params[1] = {job_.c_str()};
    PGresult* r = PQexecParams(conn_, kLockSql, 1, nullptr, params, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    held_ = ok && std::string_view(PQgetvalue(r, 0, 0)) == "t";
    PQclear(r);
    if (!ok) {
      disconnect();
      return fail(detail::storeUnavailable("job lock: query failed"));
    }
    return held_;
  }

  void release() override { disconnect(); }

 private:
  void disconnect() {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    held_ = false;
  }
  std::string conninfo_;
  std::string job_;
  PGconn* conn_ = nullptr;
  bool held_ = false;
};

class FileJobLock final : public JobLock {
 public:
  explicit FileJobLock(std::string path) : path_(std::move(path)) {}
  ~FileJobLock() override { release(); }

  Result<bool> hold() override {
    if (fd_ >= 0) return true;
    int fd = ::open(path_.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return fail(detail::storeUnavailable("job lock: cannot open the lock file"));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return false;
    }
    fd_ = fd;
    return true;
  }

  void release() override {
    if (fd_ >= 0) ::close(fd_);  // closing the only descriptor drops the flock
    fd_ = -1;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

bool safeJobName(const std::string& job) {
  if (job.empty() || job.size() > 64) return false;
  for (char c : job) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<JobLock>> openJobLock(const std::string& url, const std::string& job) {
  if (!safeJobName(job)) return fail(Status::invalidArgument("job name: a-z, 0-9, - and _ only"));
  auto spec = detail::parseConnectUrl(url, 5);
  if (!spec) return fail(spec.error());
  if (spec->backend == detail::Backend::kPostgres) {
    return std::unique_ptr<JobLock>(std::make_unique<PgJobLock>(spec->soci_connect, job));
  }
  return std::unique_ptr<JobLock>(
      std::make_unique<FileJobLock>(spec->sqlite_path + ".job-" + job + ".lock"));
}

}  // namespace mtp::store
