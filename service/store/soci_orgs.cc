// SociTx: providers and organizations (tags, logos) — store/org_store.h.
#include <soci/soci.h>

#include <algorithm>
#include <map>

#include "store/soci_exec.h"
#include "store/soci_list.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

std::vector<std::string> normalizeTags(std::vector<std::string> tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  tags.erase(std::remove(tags.begin(), tags.end(), std::string()), tags.end());
  return tags;
}

struct OrgRow {
  std::string id, provider_id, name;
  long long max_users = 0;
  soci::indicator max_ind = soci::i_ok;
  int remote_assist = 0, has_logo = 0;
  long long created = 0, updated = 0, user_count = 0, device_count = 0, version = 1, application_count = 0;

  // The live user and device counts are index range counts (provider_id, org_id, ...).
  static std::string columns(const Dialect& d) {
    return "o.id, o.provider_id, o.name, o.max_system_users, " + boolColumn("o.remote_assist") +
           ", CASE WHEN EXISTS (SELECT 1 FROM organization_logos l WHERE l.org_id = o.id) "
           "THEN 1 ELSE 0 END, " +
           d.ts("o.created") + ", " + d.ts("o.updated") +
           ", (SELECT COUNT(*) FROM system_users su WHERE su.provider_id = o.provider_id AND "
           "su.org_id = o.id), (SELECT COUNT(*) FROM devices dv WHERE dv.provider_id = "
           "o.provider_id AND dv.org_id = o.id), o.version, (SELECT COUNT(*) FROM organization_applications "
           "ap WHERE ap.provider_id = o.provider_id AND ap.org_id = o.id)";
  }
  template <class Binder>
  void bind(Binder& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(name), soci::into(max_users, max_ind),
        soci::into(remote_assist), soci::into(has_logo), soci::into(created), soci::into(updated),
        soci::into(user_count), soci::into(device_count), soci::into(version), soci::into(application_count);
  }
  OrganizationRecord record() const {
    OrganizationRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.name = name;
    r.max_system_users = opt(max_users, max_ind);
    r.remote_assist = remote_assist != 0;
    r.has_logo = has_logo != 0;
    r.created = created;
    r.updated = updated;
    r.user_count = user_count;
    r.device_count = device_count;
    r.version = version;
    r.application_count = application_count;
    return r;
  }
};

const std::vector<FieldSpec>& orgFields() {
  static const std::vector<FieldSpec> kFields = {
      {"id", "o.id", FieldKind::kText},
      {"name", "o.name", FieldKind::kText},
      {"maxSystemUsers", "o.max_system_users", FieldKind::kInt},
      {"remoteAssist", "o.remote_assist", FieldKind::kBool},
      {"created", "o.created", FieldKind::kTime},
      {"updated", "o.updated", FieldKind::kTime},
      {"tags", "", FieldKind::kTags},
  };
  return kFields;
}

}  // namespace

// ---------------------------------------------------------------- providers

Result<void> SociTx::createProvider(const TenantScope& scope, const ProviderRecord& r) {
  if (!r.id.empty() && r.id != scope.provider_id) {
    return fail(Status::invalidArgument("provider id differs from the scope"));
  }
  if (scope.provider_id.empty()) return fail(Status::invalidArgument("empty provider id"));
  return guarded([&]() -> Result<void> {
    SqlParams p;
    UnixTime created = r.created != 0 ? r.created : now();
    std::string q = "INSERT INTO providers (id, name, require_admin_mfa, created, updated) VALUES (" +
                    p.text(scope.provider_id) + ", " + p.text(r.name) + ", " +
                    p.boolean(r.require_admin_mfa) + ", " + d_.tsParam(p.integer(created)) + ", " +
                    d_.tsParam(p.integer(created)) + ")";
    exec(sql_, q, p);
    return {};
  });
}

Result<ProviderRecord> SociTx::getProvider(const TenantScope& scope) {
  return guarded([&]() -> Result<ProviderRecord> {
    SqlParams p;
    ProviderRecord r;
    int mfa = 0;
    long long created = 0, updated = 0, version = 1;
    bool found = false;
    select(
        sql_,
        "SELECT id, name, " + boolColumn("require_admin_mfa") + ", " + d_.ts("created") + ", " +
            d_.ts("updated") + ", version FROM providers WHERE id = " + p.text(scope.provider_id) +
            lockClause(),
        p,
        [&](auto& pt) {
          pt, soci::into(r.id), soci::into(r.name), soci::into(mfa), soci::into(created),
              soci::into(updated), soci::into(version);
        },
        [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("provider not found"));
    r.version = version;
    r.require_admin_mfa = mfa != 0;
    r.created = created;
    r.updated = updated;
    return r;
  });
}

Result<void> SociTx::updateProvider(const TenantScope& scope, const ProviderRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    std::string q = "UPDATE providers SET name = " + p.text(r.name) +
                    ", require_admin_mfa = " + p.boolean(r.require_admin_mfa) +
                    ", updated = " + d_.tsParam(p.integer(now())) + ", version = version + 1" +
                    " WHERE id = " + p.text(scope.provider_id);
    return requireOne(exec(sql_, q, p), "provider");
  });
}

// ---------------------------------------------------------------- organizations

Result<void> SociTx::writeTags(const TenantScope& scope, const std::string& org_id,
                               const std::vector<std::string>& tags) {
  SqlParams del;
  exec(sql_,
       "DELETE FROM organization_tags WHERE provider_id = " + del.text(scope.provider_id) +
           " AND org_id = " + del.text(org_id),
       del);
  for (const std::string& tag : normalizeTags(tags)) {
    SqlParams p;
    exec(sql_,
         "INSERT INTO organization_tags (provider_id, org_id, tag) VALUES (" +
             p.text(scope.provider_id) + ", " + p.text(org_id) + ", " + p.text(tag) + ")",
         p);
  }
  return {};
}

Result<std::string> SociTx::createOrganization(const TenantScope& scope,
                                               const OrganizationRecord& r) {
  return guarded([&]() -> Result<std::string> {
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    std::string q =
        "INSERT INTO organizations (id, provider_id, name, max_system_users, remote_assist, "
        "created, updated) VALUES (" +
        p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.name) + ", " +
        p.optInteger(r.max_system_users) + ", " + p.boolean(r.remote_assist) + ", " +
        d_.tsParam(p.integer(created)) + ", " + d_.tsParam(p.integer(created)) + ")";
    exec(sql_, q, p);
    if (auto t = writeTags(scope, id, r.tags); !t) return fail(t.error());
    return id;
  });
}

Result<std::vector<std::string>> SociTx::listOrganizationIds(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<std::string>> {
    SqlParams p;
    std::vector<std::string> out;
    std::string id;
    select(sql_,
           "SELECT id FROM organizations WHERE provider_id = " + p.text(scope.provider_id) +
               " ORDER BY id",
           p, [&](auto& pt) { pt, soci::into(id); }, [&] { out.push_back(id); });
    return out;
  });
}

Result<OrganizationRecord> SociTx::getOrganization(const TenantScope& scope,
                                                   const std::string& id) {
  return guarded([&]() -> Result<OrganizationRecord> {
    SqlParams p;
    OrgRow row;
    std::optional<OrganizationRecord> out;
    select(sql_,
           "SELECT " + OrgRow::columns(d_) + " FROM organizations o WHERE o.provider_id = " +
               p.text(scope.provider_id) + " AND o.id = " + p.text(id) + lockClause("o"),
           p, [&](auto& pt) { row.bind(pt); }, [&] { out = row.record(); });
    if (!out) return fail(Status::notFound().withDetail("organization not found"));
    SqlParams tp;
    std::string tag;
    select(sql_,
           "SELECT tag FROM organization_tags WHERE provider_id = " + tp.text(scope.provider_id) +
               " AND org_id = " + tp.text(id) + " ORDER BY tag",
           tp, [&](auto& pt) { pt, soci::into(tag); }, [&] { out->tags.push_back(tag); });
    return *out;
  });
}

Result<void> SociTx::updateOrganization(const TenantScope& scope, const OrganizationRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    std::string q = "UPDATE organizations SET name = " + p.text(r.name) +
                    ", max_system_users = " + p.optInteger(r.max_system_users) +
                    ", remote_assist = " + p.boolean(r.remote_assist) +
                    ", updated = " + d_.tsParam(p.integer(now())) + ", version = version + 1" +
                    " WHERE provider_id = " + p.text(scope.provider_id) + " AND id = " + p.text(r.id);
    if (auto one = requireOne(exec(sql_, q, p), "organization"); !one) return one;
    return writeTags(scope, r.id, r.tags);
  });
}

Result<void> SociTx::deleteOrganization(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM organizations WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND id = " + p.text(id),
                           p),
                      "organization");
  });
}

Result<Page<OrganizationRecord>> SociTx::listOrganizations(const TenantScope& scope,
                                                           const OrgReach& reach,
                                                           const ListQuery& query) {
  if (auto ok = checkPaging(query); !ok) return fail(ok.error());
  return guarded([&]() -> Result<Page<OrganizationRecord>> {
    // The WHERE clause is built twice (count and page) so each statement owns its params.
    auto where = [&](SqlParams& p) -> Result<std::string> {
      std::string w = " WHERE o.provider_id = " + p.text(scope.provider_id);
      if (!reach.all) w += " AND " + inList("o.id", reach.ids, p);
      auto f = filterSql(orgFields(), query.filters, p, d_, "o.id");
      if (!f) return fail(f.error());
      return w + *f;
    };
    auto order = orderSql(orgFields(), query.sort, "o.id");
    if (!order) return fail(order.error());
    Page<OrganizationRecord> page;
    SqlParams cp;
    auto cw = where(cp);
    if (!cw) return fail(cw.error());
    page.total_count = count(sql_, "SELECT COUNT(*) FROM organizations o" + *cw, cp);

    SqlParams p;
    auto w = where(p);
    std::string q = "SELECT " + OrgRow::columns(d_) + " FROM organizations o" + *w + *order +
                    " LIMIT " + p.integer(query.limit) + " OFFSET " + p.integer(query.skip);
    OrgRow row;
    select(sql_, q, p, [&](auto& pt) { row.bind(pt); },
           [&] { page.results.push_back(row.record()); });
    if (page.results.empty()) return page;

    std::vector<std::string> ids;
    std::map<std::string, OrganizationRecord*> by_id;
    for (auto& o : page.results) {
      ids.push_back(o.id);
      by_id[o.id] = &o;
    }
    SqlParams tp;
    std::string org_id, tag;
    select(sql_,
           "SELECT org_id, tag FROM organization_tags WHERE provider_id = " +
               tp.text(scope.provider_id) + " AND " + inList("org_id", ids, tp) +
               " ORDER BY org_id, tag",
           tp, [&](auto& pt) { pt, soci::into(org_id), soci::into(tag); },
           [&] { by_id[org_id]->tags.push_back(tag); });
    return page;
  });
}

Result<void> SociTx::setOrganizationLogo(const TenantScope& scope, const std::string& org_id,
                                         const LogoRecord& logo) {
  return guarded([&]() -> Result<void> {
    // One replacement at a time (the row lock), and a new org version (hasLogo, the ETag).
    SqlParams v;
    if (auto one = requireOne(exec(sql_,
                                   "UPDATE organizations SET version = version + 1 WHERE provider_id = " +
                                       v.text(scope.provider_id) + " AND id = " + v.text(org_id),
                                   v),
                              "organization");
        !one) {
      return one;
    }
    SqlParams del;
    exec(sql_,
         "DELETE FROM organization_logos WHERE provider_id = " + del.text(scope.provider_id) +
             " AND org_id = " + del.text(org_id),
         del);
    SqlParams p;
    exec(sql_,
         "INSERT INTO organization_logos (org_id, provider_id, content_type, data, updated) "
         "VALUES (" +
             p.text(org_id) + ", " + p.text(scope.provider_id) + ", " + p.text(logo.content_type) +
             ", " + p.text(base64Encode(logo.data)) + ", " + d_.tsParam(p.integer(now())) + ")",
         p);
    return {};
  });
}

Result<LogoRecord> SociTx::getOrganizationLogo(const TenantScope& scope,
                                               const std::string& org_id) {
  return guarded([&]() -> Result<LogoRecord> {
    SqlParams p;
    std::string type, data;
    bool found = false;
    select(sql_,
           "SELECT content_type, data FROM organization_logos WHERE provider_id = " +
               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id),
           p, [&](auto& pt) { pt, soci::into(type), soci::into(data); }, [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("logo not found"));
    auto bytes = base64Decode(data);
    if (!bytes) return fail(Status::internal("stored logo is not base64"));
    return LogoRecord{type, std::move(*bytes)};
  });
}

Result<std::vector<ProviderRecord>> SociTx::listProviders() {
  return guarded([&]() -> Result<std::vector<ProviderRecord>> {
    SqlParams p;
    std::vector<ProviderRecord> out;
    ProviderRecord r;
    int mfa = 0;
    long long created = 0, updated = 0;
    select(sql_,
           "SELECT id, name, " + boolColumn("require_admin_mfa") + ", " + d_.ts("created") +
               ", " + d_.ts("updated") + " FROM providers ORDER BY id",
           p,
           [&](auto& pt) {
             pt, soci::into(r.id), soci::into(r.name), soci::into(mfa), soci::into(created),
                 soci::into(updated);
           },
           [&] {
             r.require_admin_mfa = mfa != 0;
             r.created = created;
             r.updated = updated;
             out.push_back(r);
           });
    return out;
  });
}

Result<std::string> SociTx::findOrganizationProvider(const std::string& org_id) {
  return guarded([&]() -> Result<std::string> {
    SqlParams p;
    std::string provider;
    bool found = false;
    select(sql_, "SELECT provider_id FROM organizations WHERE id = " + p.text(org_id), p,
           [&](auto& pt) { pt, soci::into(provider); }, [&] { found = true; });
    if (!found) return fail(Status::notFound().withDetail("organization not found"));
    return provider;
  });
}

}  // namespace mtp::store::detail
