// SinkLoad: store/bulk_load.h over a Sink (bulk_sinks.h). Records become rows as the store's
// own INSERTs write them (soci_orgs.cc, soci_admins.cc, soci_users.cc, soci_devices.cc).
#include "store/bulk_load.h"

#include <memory>
#include <utility>
#include <vector>

#include "store/bulk_sinks.h"

namespace mtp::store::detail {

namespace {

Val null() { return {}; }
Val text(std::string s) { return {Val::Kind::kText, std::move(s), 0}; }
Val integer(std::int64_t n) { return {Val::Kind::kInt, {}, n}; }
Val boolean(bool b) { return {Val::Kind::kBool, {}, b ? 1 : 0}; }
Val time(std::int64_t t) { return {Val::Kind::kTime, {}, t}; }
Val optTime(std::optional<std::int64_t> t) { return t ? time(*t) : null(); }
Val optText(const std::optional<std::string>& s) { return s ? text(*s) : null(); }
Val optInteger(std::optional<std::int64_t> n) { return n ? integer(*n) : null(); }

enum class Table { kNone, kOrganizations, kAdmins, kGrants, kUsers, kDevices };

struct TableSpec {
  const char* name;
  std::vector<std::string> columns;
};

const TableSpec& spec(Table t) {
  static const TableSpec kOrgs{"organizations",
                               {"id", "provider_id", "name", "max_system_users", "remote_assist",
                                "created", "updated"}};
  static const TableSpec kTags{"organization_tags", {"provider_id", "org_id", "tag"}};
  static const TableSpec kAdmins{
      "admins",
      {"id", "provider_id", "email", "firstname", "lastname", "role_name", "status",
       "enable_multi_factor", "api_key_allowed", "all_organizations", "password_hash", "created",
       "updated"}};
  static const TableSpec kGrants{
      "admin_org_grants",
      {"provider_id", "admin_id", "org_id", "role_name", "expires_at", "created"}};
  static const TableSpec kUsers{
      "system_users",
      {"id", "provider_id", "org_id", "username", "email", "firstname", "lastname", "state",
       "password_hash", "account_locked", "failed_logins", "locked_at", "password_set_at",
       "password_expiration_date", "password_expired", "totp_enabled", "sudo",
       "passwordless_sudo", "samba_service_user", "scheduled_suspension_at",
       "scheduled_activation_at", "created", "updated"}};
  static const TableSpec kDevices{
      "devices",
      {"id", "provider_id", "org_id", "display_name", "hostname", "os", "os_family", "version",
       "active", "last_contact", "uptime_seconds", "remote_assist", "device_key_hash",
       "created"}};
  switch (t) {
    case Table::kOrganizations: return kOrgs;
    case Table::kAdmins: return kAdmins;
    case Table::kGrants: return kGrants;
    case Table::kUsers: return kUsers;
    case Table::kDevices: return kDevices;
    case Table::kNone: break;
  }
  return kTags;  // written by flushTags() only
}

UnixTime updatedOr(UnixTime updated, UnixTime created) { return updated != 0 ? updated : created; }

class SinkLoad final : public BulkLoad {
 public:
  SinkLoad(std::unique_ptr<Sink> sink, TenantScope scope)
      : sink_(std::move(sink)), scope_(std::move(scope)) {}

  Result<void> addOrganization(const OrganizationRecord& r) override {
    if (r.id.empty() || r.created == 0) {
      return fail(Status::invalidArgument("a bulk org needs an id and a created time"));
    }
    if (auto ok = use(Table::kOrganizations); !ok) return ok;
    for (const std::string& tag : r.tags) tags_.push_back({r.id, tag});
    return row({text(r.id), text(scope_.provider_id), text(r.name),
                optInteger(r.max_system_users), boolean(r.remote_assist), time(r.created),
                time(updatedOr(r.updated, r.created))});
  }

  Result<void> addAdmin(const AdminRecord& r,
                        const std::optional<std::string>& password_hash) override {
    if (auto ok = use(Table::kAdmins); !ok) return ok;
    return row({text(r.id), text(scope_.provider_id), text(r.email), text(r.firstname),
                text(r.lastname), text(r.role_name), text(std::string(adminStatusText(r.status))),
                boolean(r.enable_multi_factor), boolean(r.api_key_allowed),
                boolean(r.all_organizations), optText(password_hash), time(r.created),
                time(updatedOr(r.updated, r.created))});
  }

  Result<void> addGrant(const GrantRecord& g) override {
    if (auto ok = use(Table::kGrants); !ok) return ok;
    return row({text(scope_.provider_id), text(g.admin_id), text(g.org_id),
                g.role_name.empty() ? null() : text(g.role_name), optTime(g.expires_at),
                time(g.created)});
  }

  Result<void> addSystemUser(const SystemUserRecord& r,
                             const std::optional<std::string>& password_hash) override {
    if (auto ok = use(Table::kUsers); !ok) return ok;
    return row({text(r.id), text(scope_.provider_id), text(r.org_id), text(r.username),
                text(r.email), text(r.firstname), text(r.lastname),
                text(std::string(userStateText(r.state))), optText(password_hash),
                boolean(r.account_locked), integer(r.failed_logins), optTime(r.locked_at),
                optTime(r.password_set_at), optTime(r.password_expiration_date),
                boolean(r.password_expired), boolean(r.totp_enabled), boolean(r.sudo),
                boolean(r.passwordless_sudo), boolean(r.samba_service_user),
                optTime(r.scheduled_suspension_at), optTime(r.scheduled_activation_at),
                time(r.created), time(updatedOr(r.updated, r.created))});
  }

  Result<void> addDevice(const DeviceRecord& r, const std::string& device_key_hash) override {
    if (auto ok = use(Table::kDevices); !ok) return ok;
    return row({text(r.id), text(scope_.provider_id), text(r.org_id), text(r.display_name),
                text(r.hostname), text(r.os), text(r.os_family), text(r.version),
                boolean(r.active), optTime(r.last_contact), integer(r.uptime_seconds),
                boolean(r.remote_assist), text(device_key_hash), time(r.created)});
  }

  Result<void> commit() override {
    if (auto ok = use(Table::kNone); !ok) return ok;
    if (!sink_->commit()) return broken();
    committed_ = true;
    return {};
  }

  Result<void> analyze() override {
    if (!committed_) return fail(Status::preconditionFailed("analyze() comes after commit()"));
    if (!sink_->finish()) return fail(Status::internal(sink_->error()));
    return {};
  }

 private:
  struct Tag {
    std::string org_id, tag;
  };

  Result<void> broken() {
    if (!error_) error_ = Status::internal(sink_->error());
    return fail(*error_);
  }

  Result<void> row(const std::vector<Val>& values) {
    if (!sink_->row(values)) return broken();
    return {};
  }

  // Ends the current table (and writes the orgs' tags after the orgs) and starts `next`.
  Result<void> use(Table next) {
    if (error_) return fail(*error_);
    if (committed_) return fail(Status::preconditionFailed("the bulk load is committed"));
    if (!begun_) {
      if (!sink_->begin()) return broken();
      begun_ = true;
    }
    if (next == current_) return {};
    if (current_ != Table::kNone && !sink_->endTable()) return broken();
    if (current_ == Table::kOrganizations && !tags_.empty()) {
      const TableSpec& t = spec(Table::kNone);
      if (!sink_->table(t.name, t.columns)) return broken();
      for (const Tag& tag : tags_) {
        if (auto ok = row({text(scope_.provider_id), text(tag.org_id), text(tag.tag)}); !ok) {
          return ok;
        }
      }
      tags_.clear();
      if (!sink_->endTable()) return broken();
    }
    current_ = next;
    if (next == Table::kNone) return {};
    const TableSpec& t = spec(next);
    if (!sink_->table(t.name, t.columns)) return broken();
    return {};
  }

  std::unique_ptr<Sink> sink_;
  TenantScope scope_;
  Table current_ = Table::kNone;
  std::vector<Tag> tags_;
  bool begun_ = false;
  bool committed_ = false;
  std::optional<Status> error_;
};

}  // namespace

std::unique_ptr<BulkLoad> makeBulkLoad(const ConnectSpec& spec, const TenantScope& scope) {
  auto sink = spec.backend == Backend::kPostgres ? makePostgresSink(spec.soci_connect)
                                                 : makeSqliteSink(spec.sqlite_path);
  return std::make_unique<SinkLoad>(std::move(sink), scope);
}

}  // namespace mtp::store::detail
