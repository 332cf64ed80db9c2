#include "app/command_service.h"

#include <algorithm>
#include <set>

namespace mtp::app {

namespace {

bool printable(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Result<void> check(const store::SavedCommandRecord& c) {
  if (c.name.empty() || c.name.size() > 255 || !printable(c.name)) {
    return fail(Status::invalidArgument("field `name` must be 1 to 255 bytes of printable text"));
  }
  if (c.target_os != "windows" && c.target_os != "mac" && c.target_os != "linux") {
    return fail(Status::invalidArgument("field `targetOS` must be windows, mac or linux"));
  }
  const bool unix_shell = c.shell == "bash" || c.shell == "sh" || c.shell == "zsh";
  const bool win_shell = c.shell == "powershell" || c.shell == "cmd";
  if ((c.target_os == "windows" && !win_shell) || (c.target_os != "windows" && !unix_shell)) {
    return fail(Status::invalidArgument(
        "field `shell` must be powershell or cmd for windows, bash, sh or zsh for linux and mac"));
  }
  if (c.script.empty() || c.script.size() > kMaxScript ||
      c.script.find('\0') != std::string::npos) {
    return fail(Status::invalidArgument("field `script` must be 1 to " + std::to_string(kMaxScript) +
                                      " bytes with no NUL"));
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

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

bool osMatches(const std::string& target_os, const std::string& os_family) {
  const std::string f = lower(os_family);
  if (target_os == "mac") return f == "mac" || f == "darwin" || f == "macos";
  return f == target_os;
}

Result<store::CommandOutcome> checkCommandOutcome(store::CommandOutcome o) {
  if (o.status != "done" && o.status != "failed" && o.status != "timed_out" &&
      o.status != "not_executed") {
    return fail(
        Status::invalidArgument("field `status` must be done, failed, timed_out or not_executed"));
  }
  if (o.exit_code && o.status != "done" && o.status != "failed") {
    return fail(Status::invalidArgument("field `exitCode` is only for done or failed"));
  }
  if (o.output.size() > kMaxCommandOutput) {
    std::size_t cut = kMaxCommandOutput;
    // Back to the start of a UTF-8 character (a continuation byte is 10xxxxxx).
    while (cut > 0 && (static_cast<unsigned char>(o.output[cut]) & 0xC0) == 0x80) --cut;
    o.output.resize(cut);
    o.truncated = true;
  }
  return o;
}

Result<model::Page<store::SavedCommandRecord>> CommandService::list(
    const Actor& actor, const std::string& org_id, const model::ListQuery& query) {
  auto page = app_.store().query(
      [&](store::Tx& tx) { return tx.listSavedCommands(actor.scope(), org_id, query); });
  if (!page) return fail(page.error());
  return *page;
}

Result<store::SavedCommandRecord> CommandService::get(const Actor& actor,
                                                         const std::string& org_id,
                                                         const std::string& id) {
  auto c = app_.store().query(
      [&](store::Tx& tx) { return tx.getSavedCommand(actor.scope(), org_id, id); });
  if (!c) return fail(c.error());
  return *c;
}

Result<store::SavedCommandRecord> CommandService::create(const Actor& actor,
                                                            const std::string& org_id,
                                                            const SavedCommandInput& in) {
  for (auto [name, v] : {std::pair{"name", &in.name}, std::pair{"targetOS", &in.target_os},
                         std::pair{"shell", &in.shell}, std::pair{"script", &in.script}}) {
    if (!v->has_value()) {
      return fail(Status::invalidArgument("field `" + std::string(name) + "` is required"));
    }
  }
  store::SavedCommandRecord c;
  c.provider_id = actor.provider_id;
  c.org_id = org_id;
  c.name = *in.name;
  c.target_os = *in.target_os;
  c.shell = *in.shell;
  c.script = *in.script;
  c.created_by = actor.admin_id;
  if (auto ok = check(c); !ok) return fail(ok.error());
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<store::SavedCommandRecord> {
    store::SavedCommandRecord r = c;
    r.created = r.updated = tx.now();
    auto id = tx.createSavedCommand(actor.scope(), r);
    if (!id) return fail(id.error());
    r.id = *id;
    auto ev = activityEvent(withEmail(tx, actor), "command_created", "command", r.id,
                            {{"name", "", r.name}, {"targetOS", "", r.target_os},
                             {"shell", "", r.shell}},
                            org_id);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return r;
  });
  if (!out) return fail(out.error());
  return *out;
}

Result<store::SavedCommandRecord> CommandService::update(const Actor& actor,
                                                            const std::string& org_id,
                                                            const std::string& id,
                                                            const SavedCommandInput& in,
                                                            const IfMatch& if_match) {
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<store::SavedCommandRecord> {
    auto old = tx.getSavedCommand(actor.scope(), org_id, id);
    if (!old) return fail(old.error());
    if (auto ok = if_match.check(old->version, "the command"); !ok) return fail(ok.error());
    store::SavedCommandRecord r = *old;
    if (in.name) r.name = *in.name;
    if (in.target_os) r.target_os = *in.target_os;
    if (in.shell) r.shell = *in.shell;
    if (in.script) r.script = *in.script;
    if (auto ok = check(r); !ok) {
      return fail(Status::invalidArgument(ok.error().message));
    }
    std::vector<Change> changes;
    if (r.name != old->name) changes.push_back({"name", old->name, r.name});
    if (r.target_os != old->target_os) changes.push_back({"targetOS", old->target_os, r.target_os});
    if (r.shell != old->shell) changes.push_back({"shell", old->shell, r.shell});
    if (r.script != old->script) changes.push_back({"script", "", "(changed)"});
    if (changes.empty()) return r;
    r.updated = tx.now();
    if (auto u = tx.updateSavedCommand(actor.scope(), r); !u) return fail(u.error());
    r.version = old->version + 1;  // as the store raised it (the row lock is held)
    auto ev = activityEvent(withEmail(tx, actor), "command_updated", "command", r.id, changes,
                            org_id);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return r;
  });
  if (!out) return fail(out.error());
  return *out;
}

Result<void> CommandService::remove(const Actor& actor, const std::string& org_id,
                                       const std::string& id, const IfMatch& if_match) {
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto old = tx.getSavedCommand(actor.scope(), org_id, id);
    if (!old) return fail(old.error());
    if (auto ok = if_match.check(old->version, "the command"); !ok) return ok;
    if (auto d = tx.deleteSavedCommand(actor.scope(), org_id, id); !d) return d;
    auto ev = activityEvent(withEmail(tx, actor), "command_deleted", "command", id,
                            {{"name", old->name, ""}}, org_id);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return {};
  });
  if (!out) return fail(out.error());
  return {};
}

Result<std::vector<store::CommandResultRecord>> CommandService::run(
    const Actor& actor, const std::string& org_id, const std::string& id,
    const std::vector<std::string>& devices) {
  if (devices.empty() || devices.size() > kMaxRunDevices) {
    return fail(Status::invalidArgument("field `devices` must name 1 to " +
                                      std::to_string(kMaxRunDevices) + " devices"));
  }
  if (std::set<std::string>(devices.begin(), devices.end()).size() != devices.size()) {
    return fail(Status::invalidArgument("field `devices` names a device twice"));
  }
  auto out = app_.store().transact(
      [&](store::Tx& tx) -> Result<std::vector<store::CommandResultRecord>> {
        auto cmd = tx.getSavedCommand(actor.scope(), org_id, id);
        if (!cmd) return fail(cmd.error());
        std::vector<store::CommandResultRecord> queued;
        const auto at = tx.now();
        for (const auto& device_id : devices) {
          // Scoped to the org: another org's (or provider's) device answers kNotFound.
          auto d = tx.getDevice(actor.scope(), org_id, device_id);
          if (!d) return fail(d.error());
          if (!osMatches(cmd->target_os, d->os_family)) {
            return fail(Status::conflict("device " + device_id + " runs " +
                                                       d->os_family + ", the command targets " +
                                                       cmd->target_os));
          }
          store::CommandResultRecord r;
          r.provider_id = actor.provider_id;
          r.org_id = org_id;
          r.command_id = cmd->id;
          r.device_id = device_id;
          r.shell = cmd->shell;
          r.script = cmd->script;
          r.created_by = actor.admin_id;
          r.created = at;
          auto rid = tx.createCommandResult(actor.scope(), r);
          if (!rid) return fail(rid.error());
          r.id = *rid;
          queued.push_back(std::move(r));
        }
        std::vector<std::string> ids;
        for (const auto& r : queued) ids.push_back(r.id);
        auto ev = activityEvent(withEmail(tx, actor), "command_run", "command", cmd->id,
                                {{"devices", "", joined(devices)}, {"results", "", joined(ids)}},
                                org_id);
        if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
        return queued;
      });
  if (!out) return fail(out.error());
  return *out;
}

Result<std::vector<store::CommandResultRecord>> CommandService::results(
    const Actor& actor, const std::string& org_id, const std::string& id,
    const std::string& device_id, int limit) {
  auto out = app_.store().query(
      [&](store::Tx& tx) -> Result<std::vector<store::CommandResultRecord>> {
        auto cmd = tx.getSavedCommand(actor.scope(), org_id, id);
        if (!cmd) return fail(cmd.error());
        return tx.listCommandResults(actor.scope(), org_id, id, device_id, limit);
      });
  if (!out) return fail(out.error());
  return *out;
}

}  // namespace mtp::app
