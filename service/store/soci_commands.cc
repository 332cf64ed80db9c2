// SociTx: saved commands and their per-device results — store/command_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/soci_list.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

struct SavedRow {
  std::string id, provider_id, org_id, name, target_os, shell, script, created_by;
  long long created = 0, updated = 0, version = 1;

  static std::string columns(const Dialect& d) {
    return "s.id, s.provider_id, s.org_id, s.name, s.target_os, s.shell, s.script, s.created_by, " +
           d.ts("s.created") + ", " + d.ts("s.updated") + ", s.version";
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(org_id), soci::into(name),
        soci::into(target_os), soci::into(shell), soci::into(script), soci::into(created_by),
        soci::into(created), soci::into(updated), soci::into(version);
  }
  SavedCommandRecord record() const {
    return SavedCommandRecord{id,    provider_id, org_id,     name,    target_os,
                              shell, script,      created_by, created, updated, version};
  }
};

struct ResultRow {
  std::string id, provider_id, org_id, command_id, device_id, shell, script, status, output,
      created_by;
  long long exit_code = 0, created = 0, sent_at = 0, finished_at = 0;
  int truncated = 0;
  soci::indicator exit_ind = soci::i_ok, sent_ind = soci::i_ok, finished_ind = soci::i_ok;

  static std::string columns(const Dialect& d) {
    return "r.id, r.provider_id, r.org_id, r.command_id, r.device_id, r.shell, r.script, "
           "r.status, r.exit_code, r.output, " + boolColumn("r.truncated") + ", r.created_by, " +
           d.ts("r.created") + ", " + d.ts("r.sent_at") + ", " + d.ts("r.finished_at");
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(org_id), soci::into(command_id),
        soci::into(device_id), soci::into(shell), soci::into(script), soci::into(status),
        soci::into(exit_code, exit_ind), soci::into(output), soci::into(truncated),
        soci::into(created_by), soci::into(created), soci::into(sent_at, sent_ind),
        soci::into(finished_at, finished_ind);
  }
  CommandResultRecord record() const {
    CommandResultRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.org_id = org_id;
    r.command_id = command_id;
    r.device_id = device_id;
    r.shell = shell;
    r.script = script;
    r.status = status;
    r.exit_code = opt(exit_code, exit_ind);
    r.output = output;
    r.truncated = truncated != 0;
    r.created_by = created_by;
    r.created = created;
    r.sent_at = opt(sent_at, sent_ind);
    r.finished_at = opt(finished_at, finished_ind);
    return r;
  }
};

const std::vector<FieldSpec>& savedFields() {
  static const std::vector<FieldSpec> kFields = {
      {"id", "s.id", FieldKind::kText},
      {"name", "s.name", FieldKind::kTextCi},
      {"targetOS", "s.target_os", FieldKind::kText},
      {"shell", "s.shell", FieldKind::kText},
      {"created", "s.created", FieldKind::kTime},
      {"updated", "s.updated", FieldKind::kTime},
  };
  return kFields;
}

std::vector<SavedCommandRecord> selectSaved(soci::session& sql, const Dialect& d,
                                            const std::string& where_sql, SqlParams& p,
                                            const std::string& tail) {
  std::vector<SavedCommandRecord> out;
  SavedRow row;
  select(sql, "SELECT " + SavedRow::columns(d) + " FROM saved_commands s WHERE " + where_sql + tail,
         p, [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

std::vector<CommandResultRecord> selectResults(soci::session& sql, const Dialect& d,
                                               const std::string& where_sql, SqlParams& p,
                                               const std::string& tail) {
  std::vector<CommandResultRecord> out;
  ResultRow row;
  select(sql,
         "SELECT " + ResultRow::columns(d) + " FROM command_results r WHERE " + where_sql + tail, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

}  // namespace

Result<std::string> SociTx::createSavedCommand(const TenantScope& scope,
                                               const SavedCommandRecord& r) {
  return guarded([&]() -> Result<std::string> {
    if (!lockRow("organizations", scope, r.org_id)) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    exec(sql_,
         "INSERT INTO saved_commands (id, provider_id, org_id, name, target_os, shell, script, "
         "created_by, created, updated) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) + ", " +
             p.text(r.name) + ", " + p.text(r.target_os) + ", " + p.text(r.shell) + ", " +
             p.text(r.script) + ", " + p.text(r.created_by) + ", " +
             d_.tsParam(p.integer(created)) + ", " + d_.tsParam(p.integer(created)) + ")",
         p);
    return id;
  });
}

Result<SavedCommandRecord> SociTx::getSavedCommand(const TenantScope& scope,
                                                   const std::string& org_id,
                                                   const std::string& id) {
  return guarded([&]() -> Result<SavedCommandRecord> {
    SqlParams p;
    auto rows = selectSaved(sql_, d_,
                            "s.provider_id = " + p.text(scope.provider_id) + " AND s.org_id = " +
                                p.text(org_id) + " AND s.id = " + p.text(id),
                            p, lockClause("s"));
    if (rows.empty()) return fail(Status::notFound().withDetail("command not found"));
    return rows.front();
  });
}

Result<Page<SavedCommandRecord>> SociTx::listSavedCommands(const TenantScope& scope,
                                                           const std::string& org_id,
                                                           const ListQuery& query) {
  if (auto ok = checkPaging(query); !ok) return fail(ok.error());
  return guarded([&]() -> Result<Page<SavedCommandRecord>> {
    auto where = [&](SqlParams& p) -> Result<std::string> {
      std::string w = "s.provider_id = " + p.text(scope.provider_id) + " AND s.org_id = " +
                      p.text(org_id);
      auto f = filterSql(savedFields(), query.filters, p, d_, "s.org_id");
      if (!f) return fail(f.error());
      return w + *f;
    };
    auto order = orderSql(savedFields(), query.sort, "s.id");
    if (!order) return fail(order.error());
    Page<SavedCommandRecord> page;
    SqlParams cp;
    auto cw = where(cp);
    if (!cw) return fail(cw.error());
    page.total_count = count(sql_, "SELECT COUNT(*) FROM saved_commands s WHERE " + *cw, cp);
    SqlParams p;
    auto w = where(p);
    if (!w) return fail(w.error());
    page.results = selectSaved(sql_, d_, *w, p,
                               *order + " LIMIT " + p.integer(query.limit) + " OFFSET " +
                                   p.integer(query.skip));
    return page;
  });
}

Result<void> SociTx::updateSavedCommand(const TenantScope& scope, const SavedCommandRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE saved_commands SET name = " + p.text(r.name) + ", target_os = " +
                 p.text(r.target_os) + ", shell = " + p.text(r.shell) + ", script = " +
                 p.text(r.script) + ", updated = " + d_.tsParam(p.integer(r.updated)) +
                 ", version = version + 1 WHERE provider_id = " + p.text(scope.provider_id) + " AND org_id = " +
                 p.text(r.org_id) + " AND id = " + p.text(r.id),
             p),
        "command");
  });
}

Result<void> SociTx::deleteSavedCommand(const TenantScope& scope, const std::string& org_id,
                                        const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM saved_commands WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                               " AND id = " + p.text(id),
                           p),
                      "command");
  });
}

Result<std::string> SociTx::createCommandResult(const TenantScope& scope,
                                                const CommandResultRecord& r) {
  return guarded([&]() -> Result<std::string> {
    SqlParams dp;
    if (count(sql_,
              "SELECT COUNT(*) FROM devices WHERE provider_id = " + dp.text(scope.provider_id) +
                  " AND id = " + dp.text(r.device_id) + " AND org_id = " + dp.text(r.org_id),
              dp) == 0) {
      return fail(Status::notFound().withDetail("device not found"));
    }
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    exec(sql_,
         "INSERT INTO command_results (id, provider_id, org_id, command_id, device_id, shell, "
         "script, status, output, created_by, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) + ", " +
             p.text(r.command_id) + ", " + p.text(r.device_id) + ", " + p.text(r.shell) + ", " +
             p.text(r.script) + ", " + p.text(r.status) + ", " + p.text(r.output) + ", " +
             p.text(r.created_by) + ", " + d_.tsParam(p.integer(created)) + ")",
         p);
    return id;
  });
}

Result<std::vector<CommandResultRecord>> SociTx::listCommandResults(const TenantScope& scope,
                                                                    const std::string& org_id,
                                                                    const std::string& command_id,
                                                                    const std::string& device_id,
                                                                    int limit) {
  return guarded([&]() -> Result<std::vector<CommandResultRecord>> {
    SqlParams p;
    std::string w = "r.provider_id = " + p.text(scope.provider_id) + " AND r.org_id = " +
                    p.text(org_id) + " AND r.command_id = " + p.text(command_id);
    if (!device_id.empty()) w += " AND r.device_id = " + p.text(device_id);
    return selectResults(sql_, d_, w, p,
                         " ORDER BY r.created DESC, r.id DESC LIMIT " + p.integer(limit));
  });
}

Result<CommandResultRecord> SociTx::getCommandResult(const TenantScope& scope,
                                                     const std::string& device_id,
                                                     const std::string& id) {
  return guarded([&]() -> Result<CommandResultRecord> {
    SqlParams p;
    auto rows = selectResults(sql_, d_,
                              "r.provider_id = " + p.text(scope.provider_id) +
                                  " AND r.device_id = " + p.text(device_id) + " AND r.id = " +
                                  p.text(id),
                              p, lockClause("r"));
    if (rows.empty()) return fail(Status::notFound().withDetail("command result not found"));
    return rows.front();
  });
}

Result<std::vector<CommandResultRecord>> SociTx::takePendingCommandResults(
    const TenantScope& scope, const std::string& device_id, UnixTime at) {
  return guarded([&]() -> Result<std::vector<CommandResultRecord>> {
    SqlParams p;
    auto rows = selectResults(sql_, d_,
                              "r.provider_id = " + p.text(scope.provider_id) +
                                  " AND r.device_id = " + p.text(device_id) +
                                  " AND r.status = 'pending'",
                              p, " ORDER BY r.created ASC, r.id ASC" + lockClause("r"));
    for (auto& r : rows) {
      SqlParams u;
      exec(sql_,
           "UPDATE command_results SET status = 'sent', sent_at = " + d_.tsParam(u.integer(at)) +
               " WHERE provider_id = " + u.text(scope.provider_id) + " AND id = " + u.text(r.id) +
               " AND status = 'pending'",
           u);
      r.status = "sent";
      r.sent_at = at;
    }
    return rows;
  });
}

Result<void> SociTx::finishCommandResult(const TenantScope& scope, const std::string& device_id,
                                         const std::string& id, const CommandOutcome& o,
                                         UnixTime at) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE command_results SET status = " + p.text(o.status) + ", exit_code = " +
                 p.optInteger(o.exit_code ? std::optional<long long>(*o.exit_code) : std::nullopt) +
                 ", output = " + p.text(o.output) + ", truncated = " + p.boolean(o.truncated) +
                 ", finished_at = " + d_.tsParam(p.integer(at)) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND device_id = " + p.text(device_id) +
                 " AND id = " + p.text(id) + " AND status IN ('pending', 'sent')",
             p),
        "command result");
  });
}

}  // namespace mtp::store::detail
