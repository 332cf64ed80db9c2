// The statement helpers every SociTx source file (soci_<aggregate>.cc) uses: run a statement with bound parameters, read rows into a row holder, count,
// map NULLs, spell booleans and `IN` lists portably, and turn SOCI's exceptions into a Status.
// Internal to the store: nothing outside service/store includes it.
#pragma once

#include <soci/soci.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/model.h"
#include "store/soci_tx.h"
#include "store/sql_params.h"
#include "store/statement_cache.h"
#include "store/util.h"

namespace mtp::store::detail {

// Runs `f` unless the connection is known lost (kUnavailable); SOCI's exceptions become the
// Status SociTx::classify gives them (and mark the connection lost when it is).
template <class F>
auto guard(SociTx& tx, F&& f) -> decltype(f()) {
  if (tx.lost()) return fail(detail::storeUnavailable("database connection lost"));
  try {
    return f();
  } catch (const std::exception& e) {
    return fail(tx.classify(e));
  }
}

// SociTx's own guard (the same, as a member: the aggregate files call `guarded(...)`).
template <class F>
auto SociTx::guarded(F&& f) -> decltype(f()) {
  return guard(*this, std::forward<F>(f));
}

inline Result<void> requireOne(long long changed, std::string_view what) {
  if (changed == 0) return fail(Status::notFound().withDetail(std::string(what) + " not found"));
  return {};
}

inline AdminStatus parseAdminStatus(const std::string& s) {
  if (s == "active") return AdminStatus::kActive;
  if (s == "suspended") return AdminStatus::kSuspended;
  return AdminStatus::kPending;
}

// Runs a statement and returns the number of rows it changed.
inline long long exec(soci::session& sql, const std::string& q, SqlParams& p) {
  soci::details::prepare_temp_type pt = (sql.prepare << q);
  p.bind(pt);
  soci::statement st(pt);
  st.execute(true);
  return st.get_affected_rows();
}

// Runs a query; `bind(pt)` adds the intos of one row holder, `onRow()` reads it per row.
template <class Bind, class OnRow>
void select(soci::session& sql, const std::string& q, SqlParams& p, Bind&& bind, OnRow&& onRow) {
  soci::details::prepare_temp_type pt = (sql.prepare << q);
  bind(pt);
  p.bind(pt);
  soci::statement st(pt);
  st.execute();
  while (st.fetch()) onRow();
}

// Binds intos and uses to a cached statement the way `pt, soci::into(x), ...` binds them to a
// statement being prepared, so the same row holders serve both.
struct StatementBinder {
  soci::statement& st;
  template <class T>
  StatementBinder& operator,(T&& exchange) {
    st.exchange(std::forward<T>(exchange));
    return *this;
  }
};

// The same three on a Connection: its cached statement for `q` when it has a cache. The
// bindings point at the caller's locals, so they are released before returning; a statement
// whose use threw is dropped from the cache.
inline long long exec(Connection& c, const std::string& q, SqlParams& p) {
  if (c.statements == nullptr) return exec(c.session, q, p);
  soci::statement& st = c.statements->get(c.session, q);
  try {
    StatementBinder b{st};
    p.bind(b);
    st.define_and_bind();
    st.execute(true);
    const long long n = st.get_affected_rows();
    st.bind_clean_up();
    return n;
  } catch (...) {
    c.statements->forget(q);
    throw;
  }
}

template <class Bind, class OnRow>
void select(Connection& c, const std::string& q, SqlParams& p, Bind&& bind, OnRow&& onRow) {
  if (c.statements == nullptr) {
    select(c.session, q, p, std::forward<Bind>(bind), std::forward<OnRow>(onRow));
    return;
  }
  soci::statement& st = c.statements->get(c.session, q);
  try {
    StatementBinder b{st};
    bind(b);
    p.bind(b);
    st.define_and_bind();
    st.execute();
    while (st.fetch()) onRow();
    st.bind_clean_up();
  } catch (...) {
    c.statements->forget(q);
    throw;
  }
}

template <class Conn>
long long count(Conn& sql, const std::string& q, SqlParams& p) {
  long long n = 0;
  select(sql, q, p, [&](auto& pt) { pt, soci::into(n); }, [] {});
  return n;
}

inline std::optional<long long> opt(long long v, soci::indicator ind) {
  if (ind == soci::i_null) return std::nullopt;
  return v;
}

inline std::optional<long long> optTime(const std::optional<UnixTime>& t) {
  if (!t) return std::nullopt;
  return static_cast<long long>(*t);
}

// A boolean column as 0/1 on both dialects.
inline std::string boolColumn(std::string_view col) {
  return "CASE WHEN " + std::string(col) + " THEN 1 ELSE 0 END";
}

// `col IN (:p1, ...)` with one bound parameter per id; "1 = 0" (nothing) for no id.
inline std::string inList(std::string_view col, const std::vector<std::string>& ids, SqlParams& p) {
  if (ids.empty()) return "1 = 0";
  std::string out = std::string(col) + " IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ", ";
    out += p.text(ids[i]);
  }
  return out + ")";
}

}  // namespace mtp::store::detail
