// SociTx: devices, their queued commands and the orgs' connect keys — store/device_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/soci_list.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

struct DeviceRow {
  std::string id, provider_id, org_id, display_name, hostname, os, os_family, version;
  int active = 0, remote_assist = 0;
  long long last_contact = 0, uptime = 0, created = 0;
  soci::indicator contact_ind = soci::i_ok;

  static std::string columns(const Dialect& d) {
    return "v.id, v.provider_id, v.org_id, v.display_name, v.hostname, v.os, v.os_family, "
           "v.version, " + boolColumn("v.active") + ", " + d.ts("v.last_contact") +
           ", v.uptime_seconds, " + boolColumn("v.remote_assist") + ", " + d.ts("v.created");
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(org_id), soci::into(display_name),
        soci::into(hostname), soci::into(os), soci::into(os_family), soci::into(version),
        soci::into(active), soci::into(last_contact, contact_ind), soci::into(uptime),
        soci::into(remote_assist), soci::into(created);
  }
  DeviceRecord record() const {
    DeviceRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.org_id = org_id;
    r.display_name = display_name;
    r.hostname = hostname;
    r.os = os;
    r.os_family = os_family;
    r.version = version;
    r.active = active != 0;
    r.last_contact = opt(last_contact, contact_ind);
    r.uptime_seconds = uptime;
    r.remote_assist = remote_assist != 0;
    r.created = created;
    return r;
  }
};

struct CommandRow {
  std::string id, provider_id, org_id, device_id, type, status, output, created_by;
  long long created = 0, sent_at = 0, finished_at = 0;
  soci::indicator sent_ind = soci::i_ok, finished_ind = soci::i_ok;

  static std::string columns(const Dialect& d) {
    return "c.id, c.provider_id, c.org_id, c.device_id, c.type, c.status, c.output, "
           "c.created_by, " + d.ts("c.created") + ", " + d.ts("c.sent_at") + ", " +
           d.ts("c.finished_at");
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(org_id), soci::into(device_id),
        soci::into(type), soci::into(status), soci::into(output), soci::into(created_by),
        soci::into(created), soci::into(sent_at, sent_ind), soci::into(finished_at, finished_ind);
  }
  DeviceCommandRecord record() const {
    DeviceCommandRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.org_id = org_id;
    r.device_id = device_id;
    r.type = type;
    r.status = status;
    r.output = output;
    r.created_by = created_by;
    r.created = created;
    r.sent_at = opt(sent_at, sent_ind);
    r.finished_at = opt(finished_at, finished_ind);
    return r;
  }
};

const std::vector<FieldSpec>& deviceFields() {
  static const std::vector<FieldSpec> kFields = {
      {"id", "v.id", FieldKind::kText},
      {"displayName", "v.display_name", FieldKind::kText},
      {"hostname", "v.hostname", FieldKind::kText},
      {"os", "v.os", FieldKind::kText},
      {"osFamily", "v.os_family", FieldKind::kText},
      {"version", "v.version", FieldKind::kText},
      {"active", "v.active", FieldKind::kBool},
      {"lastContact", "v.last_contact", FieldKind::kTime},
      {"uptimeSeconds", "v.uptime_seconds", FieldKind::kInt},
      {"remoteAssist", "v.remote_assist", FieldKind::kBool},
      {"organization", "v.org_id", FieldKind::kText},
      {"created", "v.created", FieldKind::kTime},
  };
  return kFields;
}

}  // namespace

Result<std::vector<DeviceRecord>> SociTx::selectDevices(const std::string& where_sql, SqlParams& p,
                                                        const std::string& tail) {
  std::vector<DeviceRecord> out;
  DeviceRow row;
  select(sql_, "SELECT " + DeviceRow::columns(d_) + " FROM devices v WHERE " + where_sql + tail, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

Result<std::vector<DeviceCommandRecord>> SociTx::selectCommands(const std::string& where_sql,
                                                                SqlParams& p,
                                                                const std::string& tail) {
  std::vector<DeviceCommandRecord> out;
  CommandRow row;
  select(sql_,
         "SELECT " + CommandRow::columns(d_) + " FROM device_commands c WHERE " + where_sql + tail,
         p, [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

Result<std::vector<ConnectKeyRecord>> SociTx::selectConnectKeys(const std::string& where_sql,
                                                                SqlParams& p) {
  std::vector<ConnectKeyRecord> out;
  ConnectKeyRecord k;
  long long created = 0, revoked = 0;
  soci::indicator revoked_ind = soci::i_ok;
  select(sql_,
         "SELECT k.id, k.provider_id, k.org_id, k.prefix, k.salt, k.key_hash, " +
             d_.ts("k.created") + ", " + d_.ts("k.revoked_at") + " FROM connect_keys k WHERE " +
             where_sql,
         p,
         [&](auto& pt) {
           pt, soci::into(k.id), soci::into(k.provider_id), soci::into(k.org_id),
               soci::into(k.prefix), soci::into(k.salt), soci::into(k.key_hash),
               soci::into(created), soci::into(revoked, revoked_ind);
         },
         [&] {
           k.created = created;
           k.revoked_at = opt(revoked, revoked_ind);
           out.push_back(k);
         });
  return out;
}

Result<std::string> SociTx::createDevice(const TenantScope& scope, const DeviceRecord& r,
                                         const std::string& device_key_hash) {
  return guarded([&]() -> Result<std::string> {
    SqlParams op;
    if (count(sql_,
              "SELECT COUNT(*) FROM organizations WHERE provider_id = " +
                  op.text(scope.provider_id) + " AND id = " + op.text(r.org_id),
              op) == 0) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    exec(sql_,
         "INSERT INTO devices (id, provider_id, org_id, display_name, hostname, os, os_family, "
         "version, active, last_contact, uptime_seconds, remote_assist, device_key_hash, created) "
         "VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) + ", " +
             p.text(r.display_name) + ", " + p.text(r.hostname) + ", " + p.text(r.os) + ", " +
             p.text(r.os_family) + ", " + p.text(r.version) + ", " + p.boolean(r.active) + ", " +
             d_.tsParam(p.optInteger(optTime(r.last_contact))) + ", " +
             p.integer(r.uptime_seconds) + ", " + p.boolean(r.remote_assist) + ", " +
             p.text(device_key_hash) + ", " + d_.tsParam(p.integer(created)) + ")",
         p);
    return id;
  });
}

Result<DeviceRecord> SociTx::getDevice(const TenantScope& scope, const std::string& org_id,
                                       const std::string& id) {
  return guarded([&]() -> Result<DeviceRecord> {
    SqlParams p;
    std::string w = "v.provider_id = " + p.text(scope.provider_id) + " AND v.id = " + p.text(id);
    if (!org_id.empty()) w += " AND v.org_id = " + p.text(org_id);
    auto rows = selectDevices(w, p, lockClause("v"));
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("device not found"));
    return rows->front();
  });
}

Result<Page<DeviceRecord>> SociTx::listDevices(const TenantScope& scope, const OrgReach& reach,
                                               const ListQuery& query) {
  if (auto ok = checkPaging(query); !ok) return fail(ok.error());
  return guarded([&]() -> Result<Page<DeviceRecord>> {
    auto where = [&](SqlParams& p) -> Result<std::string> {
      std::string w = "v.provider_id = " + p.text(scope.provider_id);
      if (!reach.all) w += " AND " + inList("v.org_id", reach.ids, p);
      auto f = filterSql(deviceFields(), query.filters, p, d_, "v.id");
      if (!f) return fail(f.error());
      return w + *f;
    };
    auto order = orderSql(deviceFields(), query.sort, "v.id");
    if (!order) return fail(order.error());
    Page<DeviceRecord> page;
    SqlParams cp;
    auto cw = where(cp);
    if (!cw) return fail(cw.error());
    page.total_count = count(sql_, "SELECT COUNT(*) FROM devices v WHERE " + *cw, cp);
    SqlParams p;
    auto w = where(p);
    if (!w) return fail(w.error());
    auto rows = selectDevices(*w, p,
                              *order + " LIMIT " + p.integer(query.limit) + " OFFSET " +
                                  p.integer(query.skip));
    if (!rows) return fail(rows.error());
    page.results = std::move(*rows);
    return page;
  });
}

Result<void> SociTx::recordCheckin(const TenantScope& scope, const std::string& device_id,
                                   const DeviceCheckin& c) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    std::string q = "UPDATE devices SET active = " + p.boolean(true) +
                    ", last_contact = " + d_.tsParam(p.integer(c.at)) +
                    ", uptime_seconds = " + p.integer(c.uptime_seconds);
    auto set = [&](const char* col, const std::string& v) {
      if (!v.empty()) q += std::string(", ") + col + " = " + p.text(v);
    };
    set("version", c.version);
    set("hostname", c.hostname);
    set("os", c.os);
    set("os_family", c.os_family);
    set("display_name", c.display_name);
    q += " WHERE provider_id = " + p.text(scope.provider_id) + " AND id = " + p.text(device_id);
    return requireOne(exec(sql_, q, p), "device");
  });
}

Result<std::string> SociTx::createCommand(const TenantScope& scope, const DeviceCommandRecord& r) {
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
         "INSERT INTO device_commands (id, provider_id, org_id, device_id, type, status, output, "
         "created_by, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) + ", " +
             p.text(r.device_id) + ", " + p.text(r.type) + ", " + p.text(r.status) + ", " +
             p.text(r.output) + ", " + p.text(r.created_by) + ", " +
             d_.tsParam(p.integer(created)) + ")",
         p);
    return id;
  });
}

Result<DeviceCommandRecord> SociTx::getCommand(const TenantScope& scope,
                                               const std::string& device_id,
                                               const std::string& id) {
  return guarded([&]() -> Result<DeviceCommandRecord> {
    SqlParams p;
    auto rows = selectCommands("c.provider_id = " + p.text(scope.provider_id) +
                                   " AND c.device_id = " + p.text(device_id) +
                                   " AND c.id = " + p.text(id),
                               p, lockClause("c"));
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("command not found"));
    return rows->front();
  });
}

Result<std::vector<DeviceCommandRecord>> SociTx::listCommands(const TenantScope& scope,
                                                              const std::string& device_id,
                                                              int limit) {
  return guarded([&]() -> Result<std::vector<DeviceCommandRecord>> {
    SqlParams p;
    return selectCommands("c.provider_id = " + p.text(scope.provider_id) +
                              " AND c.device_id = " + p.text(device_id),
                          p, " ORDER BY c.created DESC, c.id DESC LIMIT " + p.integer(limit));
  });
}

Result<std::vector<DeviceCommandRecord>> SociTx::takePendingCommands(const TenantScope& scope,
                                                                     const std::string& device_id,
                                                                     UnixTime at) {
  return guarded([&]() -> Result<std::vector<DeviceCommandRecord>> {
    SqlParams p;
    auto rows = selectCommands("c.provider_id = " + p.text(scope.provider_id) +
                                   " AND c.device_id = " + p.text(device_id) +
                                   " AND c.status = 'pending'",
                               p, " ORDER BY c.created ASC, c.id ASC" + lockClause("c"));
    if (!rows) return fail(rows.error());
    for (auto& c : *rows) {
      SqlParams u;
      exec(sql_,
           "UPDATE device_commands SET status = 'sent', sent_at = " + d_.tsParam(u.integer(at)) +
               " WHERE provider_id = " + u.text(scope.provider_id) + " AND id = " + u.text(c.id) +
               " AND status = 'pending'",
           u);
      c.status = "sent";
      c.sent_at = at;
    }
    return rows;
  });
}

Result<void> SociTx::finishCommand(const TenantScope& scope, const std::string& device_id,
                                   const std::string& id, const std::string& status,
                                   const std::string& output, UnixTime at) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE device_commands SET status = " + p.text(status) + ", output = " +
                 p.text(output) + ", finished_at = " + d_.tsParam(p.integer(at)) +
                 " WHERE provider_id = " + p.text(scope.provider_id) +
                 " AND device_id = " + p.text(device_id) + " AND id = " + p.text(id) +
                 " AND status IN ('pending', 'sent')",
             p),
        "command");
  });
}

Result<void> SociTx::replaceConnectKey(const TenantScope& scope, const ConnectKeyRecord& r) {
  return guarded([&]() -> Result<void> {
    // One revoke-and-insert per org at a time: never two unrevoked keys.
    if (!lockRow("organizations", scope, r.org_id)) {
      return fail(Status::notFound().withDetail("organization not found"));
    }
    UnixTime at = r.created != 0 ? r.created : now();
    SqlParams u;
    exec(sql_,
         "UPDATE connect_keys SET revoked_at = " + d_.tsParam(u.integer(at)) +
             " WHERE provider_id = " + u.text(scope.provider_id) + " AND org_id = " +
             u.text(r.org_id) + " AND revoked_at IS NULL",
         u);
    SqlParams p;
    exec(sql_,
         "INSERT INTO connect_keys (id, provider_id, org_id, prefix, salt, key_hash, created) "
         "VALUES (" +
             p.text(r.id.empty() ? newId() : r.id) + ", " + p.text(scope.provider_id) + ", " +
             p.text(r.org_id) + ", " + p.text(r.prefix) + ", " + p.text(r.salt) + ", " +
             p.text(r.key_hash) + ", " + d_.tsParam(p.integer(at)) + ")",
         p);
    return {};
  });
}

Result<ConnectKeyRecord> SociTx::getConnectKey(const TenantScope& scope,
                                               const std::string& org_id) {
  return guarded([&]() -> Result<ConnectKeyRecord> {
    holdRow("organizations", scope, org_id);  // before a replacement
    SqlParams p;
    auto rows = selectConnectKeys("k.provider_id = " + p.text(scope.provider_id) +
                                      " AND k.org_id = " + p.text(org_id) +
                                      " AND k.revoked_at IS NULL",
                                  p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("connect key not found"));
    return rows->front();
  });
}

Result<ConnectKeyRecord> SociTx::findConnectKey(const std::string& key_hash) {
  return guarded([&]() -> Result<ConnectKeyRecord> {
    SqlParams p;
    auto rows = selectConnectKeys(
        "k.key_hash = " + p.text(key_hash) + " AND k.revoked_at IS NULL", p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("connect key not found"));
    return rows->front();
  });
}

Result<DeviceRecord> SociTx::findDeviceByKey(const std::string& device_key_hash) {
  return guarded([&]() -> Result<DeviceRecord> {
    SqlParams p;
    auto rows = selectDevices("v.device_key_hash = " + p.text(device_key_hash), p, "");
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound().withDetail("device not found"));
    return rows->front();
  });
}

}  // namespace mtp::store::detail
