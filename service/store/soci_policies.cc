// SociTx: policy versions and the active pointer — store/policy_store.h.
#include <soci/soci.h>

#include <algorithm>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

// Moves the pointer (insert or update of the one row): the table's trigger announces it.
void pointAt(soci::session& sql, const Dialect& d, std::int64_t version, UnixTime now,
             const std::string& by) {
  SqlParams p;
  exec(sql,
       "INSERT INTO policy_active (id, version, changed, changed_by) VALUES (1, " +
           p.integer(version) + ", " + d.tsParam(p.integer(now)) + ", " + p.text(by) +
           ") ON CONFLICT (id) DO UPDATE SET version = excluded.version, changed = "
           "excluded.changed, changed_by = excluded.changed_by",
       p);
}

}  // namespace

Result<std::int64_t> SociTx::pushPolicyVersion(const std::vector<PolicyFileRecord>& files,
                                               const std::string& content_hash,
                                               const std::string& created_by) {
  if (files.empty()) return fail(Status::invalidArgument("a policy version needs files"));
  if (content_hash.empty() || created_by.empty()) {
    return fail(Status::invalidArgument("content hash and author are required"));
  }
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams none;
    const std::int64_t version =
        count(sql_, "SELECT COALESCE(MAX(version), 0) FROM policy_versions", none) + 1;
    SqlParams p;
    exec(sql_,
         "INSERT INTO policy_versions (version, created, created_by, content_hash) VALUES (" +
             p.integer(version) + ", " + d_.tsParam(p.integer(now())) + ", " + p.text(created_by) +
             ", " + p.text(content_hash) + ")",
         p);
    for (const PolicyFileRecord& f : files) {
      SqlParams fp;
      exec(sql_,
           "INSERT INTO policy_files (version, path, text) VALUES (" + fp.integer(version) + ", " +
               fp.text(f.path) + ", " + fp.text(f.text) + ")",
           fp);
    }
    pointAt(sql_, d_, version, now(), created_by);
    return version;
  });
}

Result<std::vector<PolicyVersionRecord>> SociTx::listPolicyVersions() {
  return guarded([&]() -> Result<std::vector<PolicyVersionRecord>> {
    SqlParams p;
    std::vector<PolicyVersionRecord> out;
    long long version = 0, created = 0;
    int active = 0;
    PolicyVersionRecord row;
    select(sql_,
           "SELECT v.version, " + d_.ts("v.created") +
               ", v.created_by, v.content_hash, CASE WHEN a.version IS NULL THEN 0 ELSE 1 END "
               "FROM policy_versions v LEFT JOIN policy_active a ON a.version = v.version "
               "ORDER BY v.version DESC",
           p,
           [&](auto& pt) {
             pt, soci::into(version), soci::into(created), soci::into(row.created_by),
                 soci::into(row.content_hash), soci::into(active);
           },
           [&] {
             PolicyVersionRecord r = row;
             r.version = version;
             r.created = created;
             r.active = active != 0;
             out.push_back(std::move(r));
           });
    return out;
  });
}

Result<std::optional<std::int64_t>> SociTx::activePolicyVersion() {
  return guarded([&]() -> Result<std::optional<std::int64_t>> {
    SqlParams p;
    std::optional<std::int64_t> out;
    long long version = 0;
    select(sql_, "SELECT version FROM policy_active WHERE id = 1", p,
           [&](auto& pt) { pt, soci::into(version); }, [&] { out = version; });
    return out;
  });
}

Result<std::optional<PolicyVersionRecord>> SociTx::getActivePolicy() {
  return guarded([&]() -> Result<std::optional<PolicyVersionRecord>> {
    SqlParams p;
    std::optional<PolicyVersionRecord> out;
    long long version = 0, created = 0;
    PolicyVersionRecord row;
    select(sql_,
           "SELECT v.version, " + d_.ts("v.created") +
               ", v.created_by, v.content_hash FROM policy_active a JOIN policy_versions v ON "
               "v.version = a.version WHERE a.id = 1",
           p,
           [&](auto& pt) {
             pt, soci::into(version), soci::into(created), soci::into(row.created_by),
                 soci::into(row.content_hash);
           },
           [&] {
             out = row;
             out->version = version;
             out->created = created;
             out->active = true;
           });
    if (!out) return out;
    SqlParams fp;
    PolicyFileRecord f;
    select(sql_,
           "SELECT path, text FROM policy_files WHERE version = " + fp.integer(out->version) +
               " ORDER BY path",
           fp, [&](auto& pt) { pt, soci::into(f.path), soci::into(f.text); },
           [&] { out->files.push_back(f); });
    // Byte order, as the folder was read (a database collation may order otherwise).
    std::sort(out->files.begin(), out->files.end(),
              [](const PolicyFileRecord& a, const PolicyFileRecord& b) { return a.path < b.path; });
    return out;
  });
}

Result<void> SociTx::activatePolicyVersion(std::int64_t version, const std::string& changed_by) {
  if (changed_by.empty()) return fail(Status::invalidArgument("the author is required"));
  return guarded([&]() -> Result<void> {
    SqlParams p;
    if (count(sql_, "SELECT COUNT(*) FROM policy_versions WHERE version = " + p.integer(version),
              p) == 0) {
      return fail(Status::notFound().withDetail("policy version " + std::to_string(version) + " not found"));
    }
    pointAt(sql_, d_, version, now(), changed_by);
    return {};
  });
}

}  // namespace mtp::store::detail
