// SociTx: reports built by mtpd's report job — store/report_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

// " AND (kind visible ...)": for each kind the reader reads, every org of the report is in
// its reach. Shared with soci_home.cc (reports ready).
std::string reportCoverSql(const OrgReach& reach, SqlParams& p) {
  if (reach.all) return "1 = 1";
  return "NOT EXISTS (SELECT 1 FROM report_orgs ro WHERE ro.report_id = r.id AND NOT (" +
         inList("ro.org_id", reach.ids, p) + "))";
}

namespace {

std::string readerSql(const ReportReader& reader, SqlParams& p) {
  if (reader.kinds.empty()) return " AND 1 = 0";
  std::string out = " AND (";
  for (std::size_t i = 0; i < reader.kinds.size(); ++i) {
    if (i > 0) out += " OR ";
    out += "(r.kind = " + p.text(reader.kinds[i].first) + " AND " +
           reportCoverSql(reader.kinds[i].second, p) + ")";
  }
  return out + ")";
}

struct ReportRow {
  std::string id, provider_id, org_id, kind, format, status, requested_by, error;
  long long from = 0, to = 0, created = 0, ready = 0, rows = 0;
  soci::indicator org_ind = soci::i_ok, from_ind = soci::i_ok, to_ind = soci::i_ok,
                  ready_ind = soci::i_ok;

  static std::string columns(const Dialect& d) {
    return "r.id, r.provider_id, r.org_id, r.kind, r.format, " + d.ts("r.period_from") + ", " +
           d.ts("r.period_to") + ", r.status, r.requested_by, " + d.ts("r.created") + ", " +
           d.ts("r.ready_at") + ", r.row_count, r.error";
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(org_id, org_ind), soci::into(kind),
        soci::into(format), soci::into(from, from_ind), soci::into(to, to_ind), soci::into(status),
        soci::into(requested_by), soci::into(created), soci::into(ready, ready_ind),
        soci::into(rows), soci::into(error);
  }
  ReportRequestRecord record() const {
    ReportRequestRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.org_id = org_ind == soci::i_null ? "" : org_id;
    r.kind = kind;
    r.format = format;
    r.period_from = opt(from, from_ind);
    r.period_to = opt(to, to_ind);
    r.status = status;
    r.requested_by = requested_by;
    r.created = created;
    r.ready_at = opt(ready, ready_ind);
    r.row_count = rows;
    r.error = error;
    return r;
  }
};

std::vector<ReportRequestRecord> selectReports(soci::session& sql, const Dialect& d,
                                               const std::string& where_sql, SqlParams& p,
                                               const std::string& tail) {
  std::vector<ReportRequestRecord> out;
  ReportRow row;
  select(sql, "SELECT " + ReportRow::columns(d) + " FROM reports r WHERE " + where_sql + tail, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  for (auto& r : out) {
    SqlParams op;
    std::string org;
    select(sql,
           "SELECT org_id FROM report_orgs WHERE report_id = " + op.text(r.id) + " ORDER BY org_id",
           op, [&](auto& pt) { pt, soci::into(org); }, [&] { r.org_ids.push_back(org); });
  }
  return out;
}

}  // namespace

Result<std::string> SociTx::createReportRequest(const TenantScope& scope,
                                                const ReportRequestRecord& r) {
  return guarded([&]() -> Result<std::string> {
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    exec(sql_,
         "INSERT INTO reports (id, provider_id, org_id, kind, format, period_from, period_to, "
         "status, requested_by, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " +
             p.optText(r.org_id.empty() ? std::nullopt : std::optional<std::string>(r.org_id)) +
             ", " + p.text(r.kind) + ", " + p.text(r.format) + ", " +
             d_.tsParam(p.optInteger(optTime(r.period_from))) + ", " +
             d_.tsParam(p.optInteger(optTime(r.period_to))) + ", " + p.text(r.status) + ", " +
             p.text(r.requested_by) + ", " + d_.tsParam(p.integer(created)) + ")",
         p);
    for (const auto& org : r.org_ids) {
      SqlParams op;
      exec(sql_,
           "INSERT INTO report_orgs (report_id, provider_id, org_id) VALUES (" + op.text(id) + ", " +
               op.text(scope.provider_id) + ", " + op.text(org) + ")",
           op);
    }
    return id;
  });
}

Result<ReportRequestRecord> SociTx::getReportRequest(const TenantScope& scope,
                                                     const ReportReader& reader,
                                                     const std::string& id) {
  return guarded([&]() -> Result<ReportRequestRecord> {
    SqlParams p;
    std::string w = "r.provider_id = " + p.text(scope.provider_id) + " AND r.id = " + p.text(id);
    w += readerSql(reader, p);
    auto rows = selectReports(sql_, d_, w, p, "");
    if (rows.empty()) return fail(Status::notFound().withDetail("report not found"));
    return rows.front();
  });
}

Result<Page<ReportRequestRecord>> SociTx::listReportRequests(const TenantScope& scope,
                                                             const ReportReader& reader, int limit,
                                                             int skip) {
  if (limit < 0 || skip < 0) return fail(Status::invalidArgument("bad paging"));
  return guarded([&]() -> Result<Page<ReportRequestRecord>> {
    auto where = [&](SqlParams& p) {
      return "r.provider_id = " + p.text(scope.provider_id) + readerSql(reader, p);
    };
    Page<ReportRequestRecord> page;
    SqlParams cp;
    page.total_count = count(sql_, "SELECT COUNT(*) FROM reports r WHERE " + where(cp), cp);
    SqlParams p;
    const std::string w = where(p);
    page.results = selectReports(sql_, d_, w, p,
                                 " ORDER BY r.created DESC, r.id DESC LIMIT " + p.integer(limit) +
                                     " OFFSET " + p.integer(skip));
    return page;
  });
}

Result<std::string> SociTx::getReportContent(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<std::string> {
    SqlParams p;
    std::string content;
    bool found = false;
    select(sql_,
           "SELECT content FROM reports WHERE provider_id = " + p.text(scope.provider_id) +
               " AND id = " + p.text(id),
           p, [&](auto& pt) { pt, soci::into(content); }, [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("report not found"));
    return content;
  });
}

Result<std::vector<ReportRequestRecord>> SociTx::pendingReportRequests(int limit) {
  return guarded([&]() -> Result<std::vector<ReportRequestRecord>> {
    SqlParams p;
    return selectReports(sql_, d_, "r.status = 'pending'", p,
                         " ORDER BY r.created ASC, r.id ASC LIMIT " + p.integer(limit));
  });
}

Result<void> SociTx::finishReportRequest(const TenantScope& scope, const std::string& id,
                                         const std::string& status, const std::string& content,
                                         std::int64_t row_count, const std::string& error,
                                         UnixTime at) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE reports SET status = " + p.text(status) + ", content = " + p.text(content) +
                 ", row_count = " + p.integer(row_count) + ", error = " + p.text(error) +
                 ", ready_at = " + d_.tsParam(p.integer(at)) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id) +
                 " AND status = 'pending'",
             p),
        "report");
  });
}

Result<std::int64_t> SociTx::purgeReports(UnixTime before) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams op;
    exec(sql_,
         "DELETE FROM report_orgs WHERE report_id IN (SELECT id FROM reports WHERE created < " +
             d_.tsParam(op.integer(before)) + ")",
         op);
    SqlParams p;
    return static_cast<std::int64_t>(
        exec(sql_, "DELETE FROM reports WHERE created < " + d_.tsParam(p.integer(before)), p));
  });
}

}  // namespace mtp::store::detail
