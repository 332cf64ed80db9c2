#include "app/device_service.h"

#include <algorithm>

#include "app/command_service.h"
#include "app/one_time_token.h"
#include "auth/random.h"

namespace mtp::app {

namespace {

constexpr std::string_view kConnectKeyPrefix = "ck_";
constexpr std::string_view kDeviceKeyPrefix = "dk_";
constexpr std::size_t kMaxFactBytes = 255;
constexpr std::size_t kMaxOutputBytes = 16 * 1024;

bool printable(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

Result<void> checkFact(std::string_view name, std::string_view v, bool required) {
  if (required && v.empty()) {
    return fail(Status::invalidArgument("field `" + std::string(name) + "` must not be empty"));
  }
  if (v.size() > kMaxFactBytes || !printable(v)) {
    return fail(Status::invalidArgument("field `" + std::string(name) +
                                      "` must be at most 255 bytes of printable text"));
  }
  return {};
}

Actor withEmail(store::Tx& tx, const Actor& actor) {
  Actor who = actor;
  if (who.email.empty()) {
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
  }
  return who;
}

// An event initiated by a device agent (no admin).
model::ActivityRecord deviceEvent(const model::DeviceRecord& d, std::string type,
                                  std::string resource_type, std::string resource_id,
                                  const std::vector<Change>& changes, const std::string& ip) {
  Actor a;
  a.provider_id = d.provider_id;
  a.admin_id = d.id;
  a.client_ip = ip;
  auto e = activityEvent(a, std::move(type), std::move(resource_type), std::move(resource_id),
                         changes, d.org_id);
  e.initiated_by_type = "device";
  e.initiated_by_email.clear();
  e.auth_method = "device_key";
  return e;
}

}  // namespace

std::string DeviceService::deriveConnectKey(const model::ConnectKeyRecord& k) const {
  std::string mac =
      app_.apiKeys().hash("connectkey:" + k.provider_id + ":" + k.org_id + ":" + k.salt);
  return std::string(kConnectKeyPrefix) + mac.substr(0, 40);
}

Result<model::Page<model::DeviceRecord>> DeviceService::list(const Actor& actor,
                                                                const model::OrgReach& reach,
                                                                const model::ListQuery& query) {
  auto page = app_.store().query(
      [&](store::Tx& tx) { return tx.listDevices(actor.scope(), reach, query); });
  if (!page) return fail(page.error());
  return *page;
}

Result<model::DeviceRecord> DeviceService::get(const Actor& actor, const std::string& org_id,
                                                  const std::string& device_id) {
  auto d = app_.store().query(
      [&](store::Tx& tx) { return tx.getDevice(actor.scope(), org_id, device_id); });
  if (!d) return fail(d.error());
  return *d;
}

Result<model::DeviceCommandRecord> DeviceService::queueCommand(const Actor& actor,
                                                                  const std::string& org_id,
                                                                  const std::string& device_id,
                                                                  const std::string& type) {
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<model::DeviceCommandRecord> {
    auto device = tx.getDevice(actor.scope(), org_id, device_id);
    if (!device) return fail(device.error());
    if (type == "remote_assist") {
      auto org = tx.getOrganization(actor.scope(), org_id);
      if (!org) return fail(org.error());
      if (!org->remote_assist) {
        return fail(Status::preconditionFailed(
            "remote assist is turned off for this organization"));
      }
    }
    model::DeviceCommandRecord c;
    c.provider_id = actor.provider_id;
    c.org_id = org_id;
    c.device_id = device_id;
    c.type = type;
    c.status = "pending";
    c.created_by = actor.admin_id;
    c.created = tx.now();
    auto id = tx.createCommand(actor.scope(), c);
    if (!id) return fail(id.error());
    c.id = *id;
    auto ev = activityEvent(withEmail(tx, actor), "device_command_queued", "device", device_id,
                            {{"command", "", type}, {"commandId", "", c.id}}, org_id);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return c;
  });
  if (!out) return fail(out.error());
  return *out;
}

Result<std::vector<model::DeviceCommandRecord>> DeviceService::commands(
    const Actor& actor, const std::string& org_id, const std::string& device_id, int limit) {
  auto out = app_.store().query(
      [&](store::Tx& tx) -> Result<std::vector<model::DeviceCommandRecord>> {
        auto device = tx.getDevice(actor.scope(), org_id, device_id);
        if (!device) return fail(device.error());
        return tx.listCommands(actor.scope(), device_id, limit);
      });
  if (!out) return fail(out.error());
  return *out;
}

Result<ConnectKey> DeviceService::connectKey(const Actor& actor, const std::string& org_id) {
  auto current = app_.store().query(
      [&](store::Tx& tx) { return tx.getConnectKey(actor.scope(), org_id); });
  if (current) return ConnectKey{deriveConnectKey(*current), current->prefix, current->created};
  if (!current.error().isNotFound()) return fail(current.error());
  return regenerateConnectKey(actor, org_id);
}

Result<ConnectKey> DeviceService::regenerateConnectKey(const Actor& actor,
                                                          const std::string& org_id) {
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<ConnectKey> {
    auto old = tx.getConnectKey(actor.scope(), org_id);
    if (!old && !old.error().isNotFound()) return fail(old.error());
    model::ConnectKeyRecord k;
    k.provider_id = actor.provider_id;
    k.org_id = org_id;
    k.salt = auth::randomHex(16);
    k.created = tx.now();
    std::string key = deriveConnectKey(k);
    k.prefix = key.substr(kConnectKeyPrefix.size(), 4);
    k.key_hash = hashOneTimeToken(key);
    if (auto r = tx.replaceConnectKey(actor.scope(), k); !r) return fail(r.error());
    auto ev = activityEvent(withEmail(tx, actor), "connectkey_regenerated", "organization", org_id,
                            {{"connectKeyPrefix", old ? old->prefix : "", k.prefix}}, org_id);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return ConnectKey{key, k.prefix, k.created};
  });
  if (!out) return fail(out.error());
  return *out;
}

Result<Registration> DeviceService::registerDevice(const std::string& connect_key,
                                                      const DeviceFacts& facts,
                                                      const std::string& client_ip) {
  if (auto ok = checkFact("hostname", facts.hostname, true); !ok) return fail(ok.error());
  if (auto ok = checkFact("os", facts.os, true); !ok) return fail(ok.error());
  if (auto ok = checkFact("osFamily", facts.os_family, true); !ok) return fail(ok.error());
  if (auto ok = checkFact("version", facts.version, true); !ok) return fail(ok.error());
  if (auto ok = checkFact("displayName", facts.display_name, false); !ok) return fail(ok.error());
  if (!connect_key.starts_with(kConnectKeyPrefix) || connect_key.size() > 128) {
    return fail(Status::unauthenticated("unknown connect key"));
  }
  const std::string key_hash = hashOneTimeToken(connect_key);
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<Registration> {
    auto ck = tx.findConnectKey(key_hash);
    if (!ck) return fail(ck.error());
    const model::TenantScope scope{ck->provider_id};
    auto org = tx.getOrganization(scope, ck->org_id);
    if (!org) return fail(org.error());
    model::DeviceRecord d;
    d.provider_id = ck->provider_id;
    d.org_id = ck->org_id;
    d.hostname = facts.hostname;
    d.display_name = facts.display_name.empty() ? facts.hostname : facts.display_name;
    d.os = facts.os;
    d.os_family = facts.os_family;
    d.version = facts.version;
    d.active = true;
    d.last_contact = tx.now();
    d.remote_assist = org->remote_assist;
    d.created = tx.now();
    Registration reg;
    reg.device_key = std::string(kDeviceKeyPrefix) + newOneTimeToken().token;
    auto id = tx.createDevice(scope, d, hashOneTimeToken(reg.device_key));
    if (!id) return fail(id.error());
    d.id = *id;
    reg.device_id = *id;
    reg.org_id = d.org_id;
    auto ev = deviceEvent(d, "device_registered", "device", d.id,
                          {{"hostname", "", d.hostname}, {"os", "", d.os}}, client_ip);
    if (auto e = tx.appendActivity(scope, ev); !e) return fail(e.error());
    return reg;
  });
  if (!out) {
    if (out.error().isNotFound()) return fail(Status::unauthenticated("unknown connect key"));
    return fail(out.error());
  }
  return *out;
}

Result<model::DeviceRecord> DeviceService::deviceOfKey(const std::string& device_key) {
  if (!device_key.starts_with(kDeviceKeyPrefix) || device_key.size() > 128) {
    return fail(Status::unauthenticated("unknown device key"));
  }
  auto d = app_.store().query(
      [&](store::Tx& tx) { return tx.findDeviceByKey(hashOneTimeToken(device_key)); });
  if (!d) {
    if (d.error().isNotFound()) return fail(Status::unauthenticated("unknown device key"));
    return fail(d.error());
  }
  return *d;
}

Result<AgentWork> DeviceService::checkin(const std::string& device_key,
                                            const model::DeviceCheckin& facts) {
  if (auto ok = checkFact("version", facts.version, false); !ok) return fail(ok.error());
  if (auto ok = checkFact("hostname", facts.hostname, false); !ok) return fail(ok.error());
  if (auto ok = checkFact("os", facts.os, false); !ok) return fail(ok.error());
  if (auto ok = checkFact("osFamily", facts.os_family, false); !ok) return fail(ok.error());
  if (auto ok = checkFact("displayName", facts.display_name, false); !ok) return fail(ok.error());
  auto device = deviceOfKey(device_key);
  if (!device) return fail(device.error());
  const model::TenantScope scope{device->provider_id};
  auto out = app_.store().transact(
      [&](store::Tx& tx) -> Result<AgentWork> {
        model::DeviceCheckin c = facts;
        c.at = tx.now();
        if (auto r = tx.recordCheckin(scope, device->id, c); !r) return fail(r.error());
        AgentWork work;
        auto cmds = tx.takePendingCommands(scope, device->id, c.at);
        if (!cmds) return fail(cmds.error());
        work.commands = std::move(*cmds);
        auto scripts = tx.takePendingCommandResults(scope, device->id, c.at);
        if (!scripts) return fail(scripts.error());
        work.scripts = std::move(*scripts);
        return work;
      });
  if (!out) return fail(out.error());
  return *out;
}

Result<std::variant<model::DeviceCommandRecord, store::CommandResultRecord>>
DeviceService::commandResult(const std::string& device_key, const std::string& command_id,
                             const AgentReport& report, const std::string& client_ip) {
  using Out = std::variant<model::DeviceCommandRecord, store::CommandResultRecord>;
  auto device = deviceOfKey(device_key);
  if (!device) return fail(device.error());
  const model::TenantScope scope{device->provider_id};
  // A saved command's result of this device? (Another device's answers kNotFound, as a
  // missing one: then it is looked up as a built-in command, which answers the same.)
  auto script = app_.store().query(
      [&](store::Tx& tx) { return tx.getCommandResult(scope, device->id, command_id); });
  if (!script && !script.error().isNotFound()) return fail(script.error());
  if (script) {
    auto outcome = checkCommandOutcome(
        store::CommandOutcome{report.status, report.exit_code, report.output, report.truncated});
    if (!outcome) return fail(outcome.error());
    auto out = app_.store().transact([&](store::Tx& tx) -> Result<Out> {
      auto at = tx.now();
      if (auto r = tx.finishCommandResult(scope, device->id, command_id, *outcome, at); !r) {
        return fail(r.error());
      }
      auto c = tx.getCommandResult(scope, device->id, command_id);
      if (!c) return fail(c.error());
      std::vector<Change> changes = {{"commandId", "", c->command_id},
                                     {"resultId", "", command_id},
                                     {"status", "sent", outcome->status}};
      if (outcome->exit_code) changes.push_back({"exitCode", "", std::to_string(*outcome->exit_code)});
      auto ev = deviceEvent(*device, "command_result", "device", device->id, changes, client_ip);
      if (auto e = tx.appendActivity(scope, ev); !e) return fail(e.error());
      return Out{*c};
    });
    if (!out) return fail(out.error());
    return *out;
  }
  if (report.status != "done" && report.status != "failed") {
    return fail(Status::invalidArgument("field `status` must be done or failed"));
  }
  if (report.output.size() > kMaxOutputBytes) {
    return fail(Status::invalidArgument("field `output` must be at most 16384 bytes"));
  }
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<Out> {
    auto at = tx.now();
    // Scoped to this device: another device's command answers kNotFound, as a missing one.
    if (auto r = tx.finishCommand(scope, device->id, command_id, report.status, report.output, at);
        !r) {
      return fail(r.error());
    }
    auto c = tx.getCommand(scope, device->id, command_id);
    if (!c) return fail(c.error());
    auto ev = deviceEvent(*device, "device_command_result", "device", device->id,
                          {{"commandId", "", command_id}, {"status", "sent", report.status}},
                          client_ip);
    if (auto e = tx.appendActivity(scope, ev); !e) return fail(e.error());
    return Out{*c};
  });
  if (!out) return fail(out.error());
  return *out;
}

}  // namespace mtp::app
