#include "write_ledger.h"

#include <libpq-fe.h>

#include <algorithm>

namespace mtp::testing {

using namespace std::chrono_literals;

std::string LedgerWindow::answers() const {
  std::string out;
  for (auto [s, n] : by_status) {
    out += " " + (s == 0 ? std::string("no-answer") : std::to_string(s)) + "x" + std::to_string(n);
  }
  return out;
}

WriteLedger::WriteLedger(int writers, Create create) : create_(std::move(create)) {
  for (int w = 0; w < writers; ++w) {
    threads_.emplace_back([this, w] {
      for (int i = 0; !stop_.load(); ++i) create_(*this, w, i);
    });
  }
}

WriteLedger::~WriteLedger() { stop(); }

void WriteLedger::stop() {
  stop_.store(true);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

long long WriteLedger::nowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0_).count();
}

LedgerRequest WriteLedger::post(int writer, std::uint16_t port, const std::string& path, const std::string& body,
                                const mtp::test::Headers& headers, int timeout_ms) {
  LedgerRequest rec;
  rec.writer = writer;
  rec.start_ms = nowMs();
  try {
    mtp::test::HttpClient c(port, "127.0.0.1", false, timeout_ms);
    auto r = c.json("POST", path, body, headers);
    rec.status = r.status;
    rec.retry_after = r.header("retry-after");
    rec.body = std::move(r.body);
  } catch (const std::exception&) {
    rec.status = 0;
  }
  rec.end_ms = nowMs();
  std::lock_guard lock(mu_);
  requests_.push_back(rec);
  return rec;
}

std::vector<LedgerRequest> WriteLedger::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

bool WriteLedger::waitHealthy(int n, std::chrono::milliseconds limit, long long since_ms) const {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    {
      std::lock_guard lock(mu_);
      if (requests_.size() >= static_cast<std::size_t>(n) &&
          std::all_of(requests_.end() - n, requests_.end(),
                      [&](const LedgerRequest& r) { return r.ok() && r.start_ms >= since_ms; })) {
        return true;
      }
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

LedgerWindow WriteLedger::window(long long from_ms, long long to_ms) const {
  LedgerWindow w;
  long long first = -1, last = -1;
  for (const auto& r : requests()) {
    if (r.start_ms < from_ms || r.start_ms >= to_ms) continue;
    ++w.by_status[r.status];
    if (r.ok()) {
      ++w.ok;
      continue;
    }
    ++w.failed;
    if (!r.retry_after.empty()) ++w.with_retry_after;
    if (first < 0) first = r.start_ms;
    last = std::max(last, r.end_ms);
  }
  if (first >= 0) {
    w.outage_ms = last - first;
    w.first_failure_ms = first - from_ms;
  }
  return w;
}

std::vector<std::vector<std::string>> pqRows(const std::string& conninfo, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) {
        std::vector<std::string> row;
        for (int j = 0; j < PQnfields(r); ++j) row.emplace_back(PQgetvalue(r, i, j));
        rows.push_back(std::move(row));
      }
    }
    PQclear(r);
  }
  PQfinish(c);
  return rows;
}

}  // namespace mtp::testing
