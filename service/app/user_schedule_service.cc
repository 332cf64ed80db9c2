#include "app/user_schedule_service.h"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "app/admin_text.h"

namespace mtp::app {

namespace {

using model::UserState;

const char* fieldOf(ScheduledChange c) {
  return c == ScheduledChange::kSuspension ? "scheduled_suspension_date" : "scheduled_activation_date";
}

std::string timeText(const std::optional<std::int64_t>& t) { return t ? formatRfc3339(*t) : ""; }

std::optional<std::int64_t>& slotOf(model::SystemUserRecord& u, ScheduledChange c) {
  return c == ScheduledChange::kSuspension ? u.scheduled_suspension_at : u.scheduled_activation_at;
}

bool fits(UserState state, ScheduledChange c) {
  return c == ScheduledChange::kSuspension ? state == UserState::kActivated
                                           : state == UserState::kStaged || state == UserState::kSuspended;
}

// One due user, in its own transaction: 1 when its state changed, 0 when only a schedule was
// cleared or nothing was due any more (another pass did it).
Result<std::pair<int, int>> carryOut(store::Tx& tx, const model::DueUserSchedule& due,
                                            std::int64_t now) {
  const model::TenantScope scope{due.provider_id};
  auto cur = tx.getSystemUser(scope, due.org_id, due.user_id);  // locks the row (PostgreSQL)
  if (!cur) return fail(cur.error());
  model::SystemUserRecord next = *cur;
  int changed = 0, cleared = 0;
  std::vector<model::ActivityRecord> events;
  for (ScheduledChange c : {ScheduledChange::kSuspension, ScheduledChange::kActivation}) {
    auto& slot = slotOf(next, c);
    if (!slot || *slot > now) continue;
    const Change drop{fieldOf(c), timeText(slot), ""};
    slot.reset();
    if (fits(next.state, c)) {
      const UserState to = c == ScheduledChange::kSuspension ? UserState::kSuspended : UserState::kActivated;
      events.push_back(systemEvent(
          scope, c == ScheduledChange::kSuspension ? "user_suspended" : "user_activated", "user", cur->id,
          {{"state", std::string(model::userStateText(next.state)), std::string(model::userStateText(to))}, drop},
          cur->org_id));
      next.state = to;
      ++changed;
    } else {
      events.push_back(systemEvent(scope, "user_update", "user", cur->id, {drop}, cur->org_id));
      ++cleared;
    }
  }
  if (events.empty()) return std::pair{0, 0};
  if (auto u = tx.updateSystemUser(scope, next); !u) return fail(u.error());
  for (const auto& ev : events) {
    if (auto id = tx.appendActivity(scope, ev); !id) return fail(id.error());
  }
  return std::pair{changed, cleared};
}

}  // namespace

Result<model::SystemUserRecord> UserScheduleService::set(const Actor& actor, const std::string& org_id,
                                                            const std::string& id, ScheduledChange change,
                                                            std::optional<std::int64_t> at,
                                                            const IfMatch& if_match) {
  const std::int64_t now = app_.now();
  if (at && *at <= now) return fail(Status::invalidArgument("field `start_date` must be in the future"));
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<model::SystemUserRecord> {
    auto cur = tx.getSystemUser(actor.scope(), org_id, id);
    if (!cur) return fail(cur.error());
    if (auto ok = if_match.check(cur->version, "the user"); !ok) return fail(ok.error());
    model::SystemUserRecord next = *cur;
    auto& slot = slotOf(next, change);
    if (slot == at) return *cur;
    if (at && !fits(cur->state, change)) {
      return fail(Status::preconditionFailed(
          change == ScheduledChange::kSuspension
              ? "only an ACTIVATED user can be scheduled for suspension"
              : "only a STAGED or SUSPENDED user can be scheduled for activation"));
    }
    const Change ch{fieldOf(change), timeText(slot), timeText(at)};
    slot = at;
    if (auto u = tx.updateSystemUser(actor.scope(), next); !u) return fail(u.error());
    Actor who = actor;
    if (who.email.empty()) {
      if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
    }
    auto ev = activityEvent(who, "user_update", "user", id, {ch}, org_id);
    if (auto e = tx.appendActivity(actor.scope(), ev); !e) return fail(e.error());
    return tx.getSystemUser(actor.scope(), org_id, id);
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

SchedulePass runDueUserSchedules(store::Store& store, std::int64_t now, int batch) {
  SchedulePass pass;
  auto due = store.query([&](store::Tx& tx) { return tx.listDueUserSchedules(now, batch); });
  if (!due) {
    spdlog::warn("user schedules: listing the due ones failed: {}", due.error().text());
    ++pass.failed;
    return pass;
  }
  for (const auto& d : *due) {
    auto r = store.transact([&](store::Tx& tx) { return carryOut(tx, d, now); });
    if (!r) {
      if (!r.error().isNotFound()) {  // deleted meanwhile: nothing to do
        spdlog::warn("user schedules: user {} of org {}: {}", d.user_id, d.org_id, r.error().text());
        ++pass.failed;
      }
      continue;
    }
    pass.changed += r->first;
    pass.cleared += r->second;
  }
  return pass;
}

}  // namespace mtp::app
