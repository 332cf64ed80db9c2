#include "app/organization_service.h"

#include <algorithm>
#include <unordered_map>

#include "auth/random.h"

namespace mtp::app {

namespace {

constexpr std::size_t kMaxNameBytes = 255;
constexpr std::size_t kMaxTagBytes = 64;
constexpr std::size_t kMaxTags = 50;

bool hasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

Result<std::string> checkName(std::string_view raw) {
  std::string name = trimmed(raw);
  if (name.empty()) return fail(Status::invalidArgument("field `name` must not be empty"));
  if (name.size() > kMaxNameBytes || hasControl(name)) {
    return fail(Status::invalidArgument("field `name` must be at most 255 bytes of printable text"));
  }
  return name;
}

// Sorted and unique, as the store keeps them.
Result<std::vector<std::string>> checkTags(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& t : raw) {
    std::string tag = trimmed(t);
    if (tag.empty() || tag.size() > kMaxTagBytes || hasControl(tag)) {
      return fail(Status::invalidArgument("every tag must be 1 to 64 bytes of printable text"));
    }
    out.push_back(std::move(tag));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > kMaxTags) return fail(Status::invalidArgument("at most 50 tags"));
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string capText(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : ""; }
std::string boolText(bool b) { return b ? "true" : "false"; }

// The actor with the email every event records.
Actor withEmail(store::Tx& tx, const Actor& actor) {
  Actor who = actor;
  if (who.email.empty()) {
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
  }
  return who;
}

Result<void> appendEvent(store::Tx& tx, const Actor& actor, std::string type,
                                const std::string& org_id, const std::vector<Change>& changes) {
  auto ev = activityEvent(withEmail(tx, actor), std::move(type), "organization", org_id, changes, org_id);
  auto id = tx.appendActivity(actor.scope(), ev);
  if (!id) return fail(id.error());
  return {};
}

}  // namespace

std::optional<std::string> sniffImageType(std::string_view b) {
  // PNG: the 8-byte signature, then the IHDR chunk's length and type.
  static constexpr unsigned char kPng[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A};
  if (b.size() >= 16 && std::equal(std::begin(kPng), std::end(kPng), b.begin(),
                                   [](unsigned char x, char y) { return x == static_cast<unsigned char>(y); }) &&
      b.substr(12, 4) == "IHDR") {
    return "image/png";
  }
  // JPEG: SOI followed by a marker.
  if (b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0xFF &&
      static_cast<unsigned char>(b[1]) == 0xD8 && static_cast<unsigned char>(b[2]) == 0xFF) {
    return "image/jpeg";
  }
  return std::nullopt;
}

Result<model::Page<model::OrganizationRecord>> OrganizationService::list(
    const Actor& actor, const model::OrgReach& reach, const model::ListQuery& query) {
  if (!reach.all && reach.ids.empty()) return model::Page<model::OrganizationRecord>{};
  auto page = app_.store().query(
      [&](store::Tx& tx) { return tx.listOrganizations(actor.scope(), reach, query); });
  if (!page) return fail(page.error());
  return std::move(*page);
}

Result<model::OrganizationRecord> OrganizationService::get(const Actor& actor,
                                                              const std::string& id) {
  auto o = app_.store().query([&](store::Tx& tx) { return tx.getOrganization(actor.scope(), id); });
  if (!o) return fail(o.error());
  return std::move(*o);
}

Result<model::OrganizationRecord> OrganizationService::create(const Actor& actor,
                                                                 const OrgCreate& in) {
  auto name = checkName(in.name);
  if (!name) return fail(name.error());
  auto tags = checkTags(in.tags);
  if (!tags) return fail(tags.error());
  if (in.max_system_users && *in.max_system_users < 0) {
    return fail(Status::invalidArgument("field `maxSystemUsers` must not be negative"));
  }
  model::OrganizationRecord rec;
  rec.provider_id = actor.provider_id;
  rec.name = *name;
  rec.max_system_users = in.max_system_users;
  rec.tags = *tags;
  // The answer is read inside the transaction (issue 11 item 2): once it commits, nothing can
  // turn the created org into an error answer.
  auto created = app_.store().transact([&](store::Tx& tx) -> Result<model::OrganizationRecord> {
    auto made = tx.createOrganization(actor.scope(), rec);
    if (!made) return fail(made.error());
    auto me = tx.getAdmin(actor.scope(), actor.admin_id);
    if (!me) return fail(me.error());
    if (!me->all_organizations) {
      // The creator reaches what they created at once, with their default role.
      model::GrantRecord g{actor.admin_id, *made, "", std::nullopt, 0};
      if (auto ok = tx.putGrant(actor.scope(), g); !ok) return fail(ok.error());
    }
    Actor who = actor;
    who.email = me->email;
    std::vector<Change> changes = {{"name", "", rec.name}};
    if (rec.max_system_users) changes.push_back({"maxSystemUsers", "", capText(rec.max_system_users)});
    if (!rec.tags.empty()) changes.push_back({"tags", "", joined(rec.tags)});
    if (auto ok = appendEvent(tx, who, "organization_create", *made, changes); !ok) {
      return fail(ok.error());
    }
    return tx.getOrganization(actor.scope(), *made);
  });
  if (!created) return fail(created.error());
  app_.refreshAfterCommit({AppContext::orgRef(created->id), AppContext::adminRef(actor.admin_id)});
  return std::move(*created);
}

Result<model::OrganizationRecord> OrganizationService::update(const Actor& actor,
                                                                 const std::string& id,
                                                                 const OrgChanges& in,
                                                                 const IfMatch& if_match) {
  std::optional<std::string> name;
  if (in.name) {
    auto n = checkName(*in.name);
    if (!n) return fail(n.error());
    name = *n;
  }
  std::optional<std::vector<std::string>> tags;
  if (in.tags) {
    auto t = checkTags(*in.tags);
    if (!t) return fail(t.error());
    tags = *t;
  }
  if (in.max_system_users && *in.max_system_users && **in.max_system_users < 0) {
    return fail(Status::invalidArgument("field `maxSystemUsers` must not be negative"));
  }
  bool changed = false;
  auto out = app_.store().transact([&](store::Tx& tx) -> Result<model::OrganizationRecord> {
    auto cur = tx.getOrganization(actor.scope(), id);  // holds the row until the commit
    if (!cur) return cur;
    if (auto ok = if_match.check(cur->version, "the organization"); !ok) return fail(ok.error());
    model::OrganizationRecord next = *cur;
    std::vector<Change> changes;
    if (name && *name != cur->name) {
      changes.push_back({"name", cur->name, *name});
      next.name = *name;
    }
    if (in.max_system_users && *in.max_system_users != cur->max_system_users) {
      changes.push_back({"maxSystemUsers", capText(cur->max_system_users), capText(*in.max_system_users)});
      next.max_system_users = *in.max_system_users;
    }
    if (in.remote_assist && *in.remote_assist != cur->remote_assist) {
      changes.push_back({"remoteAssist", boolText(cur->remote_assist), boolText(*in.remote_assist)});
      next.remote_assist = *in.remote_assist;
    }
    if (tags && *tags != cur->tags) {
      changes.push_back({"tags", joined(cur->tags), joined(*tags)});
      next.tags = *tags;
    }
    if (changes.empty()) return next;
    changed = true;
    if (auto ok = tx.updateOrganization(actor.scope(), next); !ok) return fail(ok.error());
    if (auto ok = appendEvent(tx, actor, "organization_update", id, changes); !ok) {
      return fail(ok.error());
    }
    return tx.getOrganization(actor.scope(), id);
  });
  if (!out) return fail(out.error());
  if (changed) {
    app_.refreshAfterCommit({AppContext::orgRef(id)});
  }
  return std::move(*out);
}

Result<void> OrganizationService::remove(const Actor& actor, const std::string& id,
                                            const IfMatch& if_match) {
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto cur = tx.getOrganization(actor.scope(), id);
    if (!cur) return fail(cur.error());
    if (auto ok = if_match.check(cur->version, "the organization"); !ok) return ok;
    if (auto ok = tx.deleteOrganization(actor.scope(), id); !ok) return ok;
    return appendEvent(tx, actor, "organization_delete", id, {{"name", cur->name, ""}});
  });
  if (!done) return fail(done.error());
  app_.refreshAfterCommit();  // in full: the org's grants went with it (every admin it had)
  return {};
}

Result<void> OrganizationService::setLogo(const Actor& actor, const std::string& org_id,
                                             std::string bytes, const IfMatch& if_match) {
  auto type = sniffImageType(bytes);
  if (!type) return fail(Status::invalidArgument("the logo must be a PNG or JPEG image"));
  if (bytes.size() > kMaxLogoBytes) return fail(Status::invalidArgument("the logo must be at most 1 MiB"));
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto cur = tx.getOrganization(actor.scope(), org_id);
    if (!cur) return fail(cur.error());
    if (auto ok = if_match.check(cur->version, "the organization"); !ok) return ok;
    std::string from;
    if (cur->has_logo) {
      if (auto old = tx.getOrganizationLogo(actor.scope(), org_id)) from = old->content_type;
    }
    model::LogoRecord logo{*type, std::move(bytes)};
    if (auto ok = tx.setOrganizationLogo(actor.scope(), org_id, logo); !ok) return ok;
    return appendEvent(tx, actor, "organization_update", org_id,
                       {{"logo", from, *type + " (" + std::to_string(logo.data.size()) + " bytes)"}});
  });
  if (!done) return fail(done.error());
  return {};
}

Result<model::LogoRecord> OrganizationService::getLogo(const Actor& actor,
                                                          const std::string& org_id) {
  auto logo = app_.store().query(
      [&](store::Tx& tx) { return tx.getOrganizationLogo(actor.scope(), org_id); });
  if (!logo) return fail(logo.error());
  return std::move(*logo);
}

Result<LaunchToken> OrganizationService::launch(const Actor& actor, const std::string& org_id) {
  const std::int64_t now = app_.now();
  const std::int64_t ttl = app_.config().launch_ttl.count();
  auth::TokenClaims claims;
  claims.admin_id = actor.admin_id;
  claims.provider_id = actor.provider_id;
  claims.jti = auth::newId();
  claims.mfa = actor.mfa;
  claims.scope = auth::TokenScope::kOrg;
  claims.org = org_id;
  claims.iat = now;
  claims.exp = now + ttl;
  auto org = app_.store().transact([&](store::Tx& tx) -> Result<model::OrganizationRecord> {
    auto o = tx.getOrganization(actor.scope(), org_id);
    if (!o) return o;
    model::SessionRecord s{claims.jti, actor.provider_id, actor.admin_id,
                           model::SessionKind::kOrgLaunch, org_id, actor.mfa, now, claims.exp,
                           std::nullopt};
    if (auto ok = tx.createSession(actor.scope(), s); !ok) return fail(ok.error());
    if (auto ok = appendEvent(tx, actor, "organization_launch", org_id, {}); !ok) {
      return fail(ok.error());
    }
    return o;
  });
  if (!org) return fail(org.error());
  return LaunchToken{app_.tokens().issue(claims), ttl, std::move(*org)};
}

Result<std::vector<OrgAdmin>> OrganizationService::administrators(const Actor& actor,
                                                                     const std::string& org_id) {
  const std::int64_t now = app_.now();
  auto out = app_.store().query([&](store::Tx& tx) -> Result<std::vector<OrgAdmin>> {
    auto admins = tx.listOrganizationAdmins(actor.scope(), org_id, now);
    if (!admins) return fail(admins.error());
    auto grants = tx.listOrganizationGrants(actor.scope(), org_id);
    if (!grants) return fail(grants.error());
    std::unordered_map<std::string, std::string> role_there;  // admin id -> live grant's role
    for (const auto& g : *grants) {
      const bool live = !g.expires_at || *g.expires_at > now;
      if (live && !g.role_name.empty()) role_there[g.admin_id] = g.role_name;
    }
    std::vector<OrgAdmin> result;
    for (auto& a : *admins) {
      auto it = role_there.find(a.id);
      std::string role = it != role_there.end() ? it->second : a.role_name;
      result.push_back(OrgAdmin{std::move(a), std::move(role)});
    }
    return result;
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

}  // namespace mtp::app
