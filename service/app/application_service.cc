#include "app/application_service.h"

#include <algorithm>

namespace mtp::app {

namespace {

constexpr std::size_t kMaxNameBytes = 255;

Result<void> appendEvent(store::Tx& tx, Actor actor, std::string type, const std::string& org_id,
                                const std::string& app_id, const std::vector<Change>& changes) {
  if (actor.email.empty()) {
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) actor.email = me->email;
  }
  auto ev = activityEvent(actor, std::move(type), "application", app_id, changes, org_id);
  if (auto id = tx.appendActivity(actor.scope(), ev); !id) return fail(id.error());
  return {};
}

}  // namespace

Result<std::vector<model::ApplicationRecord>> ApplicationService::list(const Actor& actor,
                                                                          const std::string& org_id) {
  auto out = app_.store().query([&](store::Tx& tx) { return tx.listApplications(actor.scope(), org_id); });
  if (!out) return fail(out.error());
  return std::move(*out);
}

Result<model::ApplicationRecord> ApplicationService::create(const Actor& actor, const std::string& org_id,
                                                               const std::string& name, const std::string& type) {
  const bool control = std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (name.empty() || name.size() > kMaxNameBytes || control) {
    return fail(Status::invalidArgument("field `name` must be 1 to 255 bytes of printable text"));
  }
  if (type != "saml" && type != "oidc") return fail(Status::invalidArgument("field `type` must be saml or oidc"));
  model::ApplicationRecord rec;
  rec.org_id = org_id;
  rec.name = name;
  rec.type = type;
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<model::ApplicationRecord> {
    rec.created = tx.now();
    auto id = tx.createApplication(actor.scope(), rec);
    if (!id) return fail(id.error());
    rec.id = *id;
    if (auto ev = appendEvent(tx, actor, "application_create", org_id, rec.id,
                              {{"name", "", rec.name}, {"type", "", rec.type}});
        !ev) {
      return fail(ev.error());
    }
    return rec;
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

Result<void> ApplicationService::remove(const Actor& actor, const std::string& org_id, const std::string& id) {
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto gone = tx.deleteApplication(actor.scope(), org_id, id);
    if (!gone) return fail(gone.error());
    return appendEvent(tx, actor, "application_delete", org_id, id, {{"name", gone->name, ""}});
  });
  if (!out) return fail(out.error());
  return {};
}

}  // namespace mtp::app
