#include "store/soci_tx.h"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "store/errors.h"
#include "store/soci_exec.h"
#include "store/sql_params.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

AdminStatus parseStatus(const std::string& s) {
  if (s == "active") return AdminStatus::kActive;
  if (s == "suspended") return AdminStatus::kSuspended;
  return AdminStatus::kPending;
}

SessionKind parseKind(const std::string& s) {
  if (s == "mfa_enroll") return SessionKind::kMfaEnroll;
  if (s == "org_launch") return SessionKind::kOrgLaunch;
  return SessionKind::kFull;
}

TokenKind parseTokenKind(const std::string& s) {
  if (s == "password_reset") return TokenKind::kPasswordReset;
  if (s == "totp_reset") return TokenKind::kTotpReset;
  return TokenKind::kActivation;
}

std::vector<std::string> normalizeTags(std::vector<std::string> tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  tags.erase(std::remove(tags.begin(), tags.end(), std::string()), tags.end());
  return tags;
}

// ---- row holders: the intos of one row, and the record they make

struct OrgRow {
  std::string id, provider_id, name;
  long long max_users = 0;
  soci::indicator max_ind = soci::i_ok;
  int remote_assist = 0, has_logo = 0;
  long long created = 0, updated = 0, user_count = 0, device_count = 0;

  // The live user and device counts are index range counts (provider_id, org_id, ...).
  static std::string columns(const Dialect& d) {
    return "o.id, o.provider_id, o.name, o.max_system_users, " + boolColumn("o.remote_assist") +
           ", CASE WHEN EXISTS (SELECT 1 FROM organization_logos l WHERE l.org_id = o.id) "
           "THEN 1 ELSE 0 END, " +
           d.ts("o.created") + ", " + d.ts("o.updated") +
           ", (SELECT COUNT(*) FROM system_users su WHERE su.provider_id = o.provider_id AND "
           "su.org_id = o.id), (SELECT COUNT(*) FROM devices dv WHERE dv.provider_id = "
           "o.provider_id AND dv.org_id = o.id)";
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(name), soci::into(max_users, max_ind),
        soci::into(remote_assist), soci::into(has_logo), soci::into(created), soci::into(updated),
        soci::into(user_count), soci::into(device_count);
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
    return r;
  }
};

struct AdminRow {
  std::string id, provider_id, email, firstname, lastname, role_name, status;
  int mfa = 0, api_key_allowed = 0, all_orgs = 0, totp_enrolled = 0, password_set = 0,
      api_key_set = 0, failed_logins = 0;
  long long access_total = 0, locked_until = 0, created = 0, updated = 0;
  soci::indicator locked_ind = soci::i_ok;

  static std::string columns(const Dialect& d) {
    return "a.id, a.provider_id, a.email, a.firstname, a.lastname, a.role_name, a.status, " +
           boolColumn("a.enable_multi_factor") + ", " + boolColumn("a.api_key_allowed") + ", " +
           boolColumn("a.all_organizations") + ", " + boolColumn("a.totp_enrolled") +
           ", CASE WHEN a.password_hash IS NULL THEN 0 ELSE 1 END"
           ", CASE WHEN EXISTS (SELECT 1 FROM api_keys k WHERE k.provider_id = a.provider_id "
           "AND k.admin_id = a.id AND k.revoked_at IS NULL) THEN 1 ELSE 0 END"
           ", CASE WHEN a.all_organizations THEN (SELECT COUNT(*) FROM organizations o2 WHERE "
           "o2.provider_id = a.provider_id) ELSE (SELECT COUNT(*) FROM admin_org_grants g2 "
           "WHERE g2.provider_id = a.provider_id AND g2.admin_id = a.id) END"
           ", a.failed_logins, " +
           d.ts("a.locked_until") + ", " + d.ts("a.created") + ", " + d.ts("a.updated");
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(email), soci::into(firstname),
        soci::into(lastname), soci::into(role_name), soci::into(status), soci::into(mfa),
        soci::into(api_key_allowed), soci::into(all_orgs), soci::into(totp_enrolled),
        soci::into(password_set), soci::into(api_key_set), soci::into(access_total),
        soci::into(failed_logins), soci::into(locked_until, locked_ind), soci::into(created),
        soci::into(updated);
  }
  AdminRecord record() const {
    AdminRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.email = email;
    r.firstname = firstname;
    r.lastname = lastname;
    r.role_name = role_name;
    r.status = parseStatus(status);
    r.enable_multi_factor = mfa != 0;
    r.api_key_allowed = api_key_allowed != 0;
    r.all_organizations = all_orgs != 0;
    r.totp_enrolled = totp_enrolled != 0;
    r.password_set = password_set != 0;
    r.api_key_set = api_key_set != 0;
    r.organization_access_total = access_total;
    r.failed_logins = failed_logins;
    r.locked_until = opt(locked_until, locked_ind);
    r.created = created;
    r.updated = updated;
    return r;
  }
};

struct SessionRow {
  std::string jti, provider_id, admin_id, kind, org_id;
  soci::indicator org_ind = soci::i_ok, revoked_ind = soci::i_ok;
  int mfa = 0;
  long long created = 0, expires_at = 0, revoked_at = 0;

  static std::string columns(const Dialect& d) {
    return "s.jti, s.provider_id, s.admin_id, s.kind, s.org_id, " + boolColumn("s.mfa") + ", " +
           d.ts("s.created") + ", " + d.ts("s.expires_at") + ", " + d.ts("s.revoked_at");
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(jti), soci::into(provider_id), soci::into(admin_id), soci::into(kind),
        soci::into(org_id, org_ind), soci::into(mfa), soci::into(created),
        soci::into(expires_at), soci::into(revoked_at, revoked_ind);
  }
  SessionRecord record() const {
    SessionRecord r;
    r.jti = jti;
    r.provider_id = provider_id;
    r.admin_id = admin_id;
    r.kind = parseKind(kind);
    r.org_id = org_ind == soci::i_null ? std::string() : org_id;
    r.mfa = mfa != 0;
    r.created = created;
    r.expires_at = expires_at;
    r.revoked_at = opt(revoked_at, revoked_ind);
    return r;
  }
};

struct EmailRow {
  std::string id, provider_id, to, subject, body, last_error;
  soci::indicator sent_ind = soci::i_ok, error_ind = soci::i_ok;
  long long created = 0, sent_at = 0;
  int attempts = 0;

  static std::string columns(const Dialect& d) {
    return "e.id, e.provider_id, e.to_address, e.subject, e.body, " + d.ts("e.created") + ", " +
           d.ts("e.sent_at") + ", e.attempts, e.last_error";
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(to), soci::into(subject),
        soci::into(body), soci::into(created), soci::into(sent_at, sent_ind),
        soci::into(attempts), soci::into(last_error, error_ind);
  }
  EmailRecord record() const {
    EmailRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.to_address = to;
    r.subject = subject;
    r.body = body;
    r.created = created;
    r.sent_at = opt(sent_at, sent_ind);
    r.attempts = attempts;
    r.last_error = error_ind == soci::i_null ? std::string() : last_error;
    return r;
  }
};

// ---- list whitelists

enum class FieldKind { kText, kTextCi, kInt, kBool, kTime, kTags };

struct FieldSpec {
  std::string_view name;  // the API's field name
  std::string column;
  FieldKind kind;
};

std::string likePattern(std::string_view value) {
  std::string out = "%";
  for (char c : asciiLower(value)) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

std::vector<std::string> splitIn(std::string_view v) {
  std::vector<std::string> out;
  while (true) {
    auto bar = v.find('|');
    out.emplace_back(v.substr(0, bar));
    if (bar == std::string_view::npos) break;
    v = v.substr(bar + 1);
  }
  return out;
}

const char* opSql(FilterOp op) {
  switch (op) {
    case FilterOp::kEq: return "=";
    case FilterOp::kNe: return "<>";
    case FilterOp::kGt: return ">";
    case FilterOp::kGe: return ">=";
    case FilterOp::kLt: return "<";
    case FilterOp::kLe: return "<=";
    default: return "=";
  }
}

// One value of a filter as a bound parameter (wrapped for its column kind).
Result<std::string> valueParam(const FieldSpec& f, std::string_view value, SqlParams& p,
                               const Dialect& d) {
  switch (f.kind) {
    case FieldKind::kText:
    case FieldKind::kTags:
      return p.text(std::string(value));
    case FieldKind::kTextCi:
      return "lower(" + p.text(std::string(value)) + ")";
    case FieldKind::kInt: {
      long long v = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || ptr != value.data() + value.size()) {
        return fail(Status::invalidArgument("filter `" + std::string(f.name) +
                                            "` needs an integer"));
      }
      return p.integer(v);
    }
    case FieldKind::kBool:
      if (value == "true" || value == "1") return p.boolean(true);
      if (value == "false" || value == "0") return p.boolean(false);
      return fail(Status::invalidArgument("filter `" + std::string(f.name) +
                                          "` needs true or false"));
    case FieldKind::kTime: {
      auto t = parseTime(value);
      if (!t) {
        return fail(Status::invalidArgument("filter `" + std::string(f.name) +
                                            "` needs an RFC 3339 time"));
      }
      return d.tsParam(p.integer(*t));
    }
  }
  return fail(Status::internal("unknown field kind"));
}

const FieldSpec* findField(const std::vector<FieldSpec>& fields, std::string_view name) {
  for (const FieldSpec& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// " AND cond AND cond ..." for the filters.
Result<std::string> filterSql(const std::vector<FieldSpec>& fields,
                              const std::vector<FilterTerm>& filters, SqlParams& p,
                              const Dialect& d, std::string_view tags_owner) {
  std::string out;
  for (const FilterTerm& term : filters) {
    const FieldSpec* f = findField(fields, term.field);
    if (f == nullptr) {
      return fail(Status::invalidArgument("cannot filter on `" + term.field + "`"));
    }
    std::string cond;
    std::string col = f->kind == FieldKind::kTextCi ? "lower(" + f->column + ")" : f->column;
    if (f->kind == FieldKind::kTags) col = "t.tag";
    bool text = f->kind == FieldKind::kText || f->kind == FieldKind::kTextCi ||
                f->kind == FieldKind::kTags;
    if (term.op == FilterOp::kSearch) {
      if (!text) {
        return fail(Status::invalidArgument("`search` needs a text field, not `" + term.field +
                                            "`"));
      }
      cond = "lower(" + (f->kind == FieldKind::kTags ? std::string("t.tag") : f->column) +
             ") LIKE " + p.text(likePattern(term.value)) + " ESCAPE '\\'";
    } else if (term.op == FilterOp::kIn) {
      cond = col + " IN (";
      bool first = true;
      for (const std::string& v : splitIn(term.value)) {
        auto param = valueParam(*f, v, p, d);
        if (!param) return fail(param.error());
        if (!first) cond += ", ";
        cond += *param;
        first = false;
      }
      cond += ")";
    } else {
      if ((f->kind == FieldKind::kBool || f->kind == FieldKind::kTags) &&
          term.op != FilterOp::kEq && term.op != FilterOp::kNe) {
        return fail(Status::invalidArgument("`" + term.field + "` takes eq, ne" +
                                            (f->kind == FieldKind::kTags ? ", in, search" : "")));
      }
      auto param = valueParam(*f, term.value, p, d);
      if (!param) return fail(param.error());
      if (f->kind == FieldKind::kTags) {
        // ne on tags: has no such tag.
        std::string exists = "EXISTS (SELECT 1 FROM organization_tags t WHERE t.org_id = " +
                             std::string(tags_owner) + " AND t.tag = " + *param + ")";
        out += term.op == FilterOp::kNe ? " AND NOT " + exists : " AND " + exists;
        continue;
      }
      cond = col + " " + opSql(term.op) + " " + *param;
    }
    if (f->kind == FieldKind::kTags) {
      cond = "EXISTS (SELECT 1 FROM organization_tags t WHERE t.org_id = " +
             std::string(tags_owner) + " AND " + cond + ")";
    }
    out += " AND " + cond;
  }
  return out;
}

Result<std::string> orderSql(const std::vector<FieldSpec>& fields,
                             const std::vector<SortKey>& sort, std::string_view id_column) {
  std::string out = " ORDER BY ";
  for (const SortKey& key : sort) {
    const FieldSpec* f = findField(fields, key.field);
    if (f == nullptr || f->kind == FieldKind::kTags) {
      return fail(Status::invalidArgument("cannot sort on `" + key.field + "`"));
    }
    out += f->column + (key.descending ? " DESC, " : " ASC, ");
  }
  return out + std::string(id_column) + " ASC";
}

Result<void> checkPaging(const ListQuery& q) {
  if (q.limit < 1 || q.limit > ListQuery::kMaxLimit) {
    return fail(Status::invalidArgument("limit must be between 1 and " +
                                        std::to_string(ListQuery::kMaxLimit)));
  }
  if (q.skip < 0) return fail(Status::invalidArgument("skip must not be negative"));
  return {};
}

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

const std::vector<FieldSpec>& adminFields() {
  static const std::vector<FieldSpec> kFields = {
      {"id", "a.id", FieldKind::kText},
      {"email", "a.email", FieldKind::kTextCi},
      {"firstname", "a.firstname", FieldKind::kText},
      {"lastname", "a.lastname", FieldKind::kText},
      {"roleName", "a.role_name", FieldKind::kText},
      {"status", "a.status", FieldKind::kText},
      {"enableMultiFactor", "a.enable_multi_factor", FieldKind::kBool},
      {"apiKeyAllowed", "a.api_key_allowed", FieldKind::kBool},
      {"allOrganizations", "a.all_organizations", FieldKind::kBool},
      {"totpEnrolled", "a.totp_enrolled", FieldKind::kBool},
      {"created", "a.created", FieldKind::kTime},
      {"updated", "a.updated", FieldKind::kTime},
  };
  return kFields;
}

Result<void> requireOne(long long changed, std::string_view what) {
  if (changed == 0) return fail(Status::notFound(std::string(what) + " not found"));
  return {};
}

}  // namespace

Status SociTx::classify(const std::exception& e) {
  bool lost = false;
  Status s = classifyError(e, sql_, d_.backend, &lost);
  if (lost) lost_ = true;
  return s;
}

template <class F>
auto SociTx::guarded(F&& f) -> decltype(f()) {
  if (lost_) return fail(Status::unavailable("database connection lost"));
  try {
    return f();
  } catch (const std::exception& e) {
    return fail(classify(e));
  }
}

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
    long long created = 0, updated = 0;
    bool found = false;
    select(
        sql_,
        "SELECT id, name, " + boolColumn("require_admin_mfa") + ", " + d_.ts("created") + ", " +
            d_.ts("updated") + " FROM providers WHERE id = " + p.text(scope.provider_id),
        p,
        [&](auto& pt) {
          pt, soci::into(r.id), soci::into(r.name), soci::into(mfa), soci::into(created),
              soci::into(updated);
        },
        [&] { found = true; });
    if (!found) return fail(Status::notFound("provider not found"));
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
                    ", updated = " + d_.tsParam(p.integer(now())) +
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

Result<OrganizationRecord> SociTx::getOrganization(const TenantScope& scope,
                                                   const std::string& id) {
  return guarded([&]() -> Result<OrganizationRecord> {
    SqlParams p;
    OrgRow row;
    std::optional<OrganizationRecord> out;
    select(sql_,
           "SELECT " + OrgRow::columns(d_) + " FROM organizations o WHERE o.provider_id = " +
               p.text(scope.provider_id) + " AND o.id = " + p.text(id),
           p, [&](auto& pt) { row.bind(pt); }, [&] { out = row.record(); });
    if (!out) return fail(Status::notFound("organization not found"));
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
                    ", updated = " + d_.tsParam(p.integer(now())) +
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
    if (!found) return fail(Status::notFound("logo not found"));
    auto bytes = base64Decode(data);
    if (!bytes) return fail(Status::internal("stored logo is not base64"));
    return LogoRecord{type, std::move(*bytes)};
  });
}

// ---------------------------------------------------------------- administrators

Result<std::vector<AdminRecord>> SociTx::selectAdmins(const std::string& where_sql, SqlParams& p,
                                                      const std::string& tail) {
  std::vector<AdminRecord> out;
  AdminRow row;
  select(sql_, "SELECT " + AdminRow::columns(d_) + " FROM admins a " + where_sql + tail, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

Result<std::string> SociTx::createAdmin(const TenantScope& scope, const AdminRecord& r,
                                        const std::optional<std::string>& password_hash) {
  if (r.email.empty()) return fail(Status::invalidArgument("email is required"));
  return guarded([&]() -> Result<std::string> {
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    SqlParams p;
    std::string q =
        "INSERT INTO admins (id, provider_id, email, firstname, lastname, role_name, status, "
        "enable_multi_factor, api_key_allowed, all_organizations, password_hash, created, "
        "updated) VALUES (" +
        p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.email) + ", " +
        p.text(r.firstname) + ", " + p.text(r.lastname) + ", " + p.text(r.role_name) + ", " +
        p.text(std::string(adminStatusText(r.status))) + ", " + p.boolean(r.enable_multi_factor) +
        ", " + p.boolean(r.api_key_allowed) + ", " + p.boolean(r.all_organizations) + ", " +
        p.optText(password_hash) + ", " + d_.tsParam(p.integer(created)) + ", " +
        d_.tsParam(p.integer(created)) + ")";
    exec(sql_, q, p);
    return id;
  });
}

Result<AdminRecord> SociTx::getAdmin(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<AdminRecord> {
    SqlParams p;
    auto rows = selectAdmins(
        "WHERE a.provider_id = " + p.text(scope.provider_id) + " AND a.id = " + p.text(id), p, "");
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("administrator not found"));
    return std::move(rows->front());
  });
}

Result<AdminRecord> SociTx::getAdminByEmail(const TenantScope& scope, const std::string& email) {
  return guarded([&]() -> Result<AdminRecord> {
    SqlParams p;
    auto rows = selectAdmins("WHERE a.provider_id = " + p.text(scope.provider_id) +
                                 " AND lower(a.email) = lower(" + p.text(email) + ")",
                             p, "");
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("administrator not found"));
    return std::move(rows->front());
  });
}

Result<void> SociTx::updateAdmin(const TenantScope& scope, const AdminRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    std::string q = "UPDATE admins SET email = " + p.text(r.email) +
                    ", firstname = " + p.text(r.firstname) + ", lastname = " + p.text(r.lastname) +
                    ", role_name = " + p.text(r.role_name) +
                    ", status = " + p.text(std::string(adminStatusText(r.status))) +
                    ", enable_multi_factor = " + p.boolean(r.enable_multi_factor) +
                    ", api_key_allowed = " + p.boolean(r.api_key_allowed) +
                    ", all_organizations = " + p.boolean(r.all_organizations) +
                    ", updated = " + d_.tsParam(p.integer(now())) +
                    " WHERE provider_id = " + p.text(scope.provider_id) + " AND id = " + p.text(r.id);
    return requireOne(exec(sql_, q, p), "administrator");
  });
}

Result<void> SociTx::deleteAdmin(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM admins WHERE provider_id = " + p.text(scope.provider_id) +
                               " AND id = " + p.text(id),
                           p),
                      "administrator");
  });
}

Result<Page<AdminRecord>> SociTx::listAdmins(const TenantScope& scope, const ListQuery& query) {
  if (auto ok = checkPaging(query); !ok) return fail(ok.error());
  return guarded([&]() -> Result<Page<AdminRecord>> {
    auto where = [&](SqlParams& p) -> Result<std::string> {
      auto f = filterSql(adminFields(), query.filters, p, d_, "");
      if (!f) return fail(f.error());
      return "WHERE a.provider_id = " + p.text(scope.provider_id) + *f;
    };
    auto order = orderSql(adminFields(), query.sort, "a.id");
    if (!order) return fail(order.error());
    Page<AdminRecord> page;
    SqlParams cp;
    auto cw = where(cp);
    if (!cw) return fail(cw.error());
    page.total_count = count(sql_, "SELECT COUNT(*) FROM admins a " + *cw, cp);
    SqlParams p;
    auto w = where(p);
    std::string tail =
        *order + " LIMIT " + p.integer(query.limit) + " OFFSET " + p.integer(query.skip);
    auto rows = selectAdmins(*w, p, tail);
    if (!rows) return fail(rows.error());
    page.results = std::move(*rows);
    return page;
  });
}

Result<std::vector<AdminRecord>> SociTx::listOrganizationAdmins(const TenantScope& scope,
                                                                const std::string& org_id,
                                                                UnixTime at) {
  return guarded([&]() -> Result<std::vector<AdminRecord>> {
    SqlParams p;
    std::string w = "WHERE a.provider_id = " + p.text(scope.provider_id) +
                    " AND EXISTS (SELECT 1 FROM organizations o WHERE o.provider_id = a.provider_id"
                    " AND o.id = " + p.text(org_id) +
                    ") AND (a.all_organizations = " + p.boolean(true) +
                    " OR EXISTS (SELECT 1 FROM admin_org_grants g WHERE g.provider_id = "
                    "a.provider_id AND g.admin_id = a.id AND g.org_id = " + p.text(org_id) +
                    " AND (g.expires_at IS NULL OR g.expires_at > " + d_.tsParam(p.integer(at)) +
                    ")))";
    return selectAdmins(w, p, " ORDER BY a.email, a.id");
  });
}

Result<AdminCredentials> SociTx::getAdminCredentials(const TenantScope& scope,
                                                     const std::string& id) {
  return guarded([&]() -> Result<AdminCredentials> {
    SqlParams p;
    AdminCredentials c;
    std::string status, hash, secret;
    soci::indicator hash_ind = soci::i_ok, secret_ind = soci::i_ok, step_ind = soci::i_ok,
                    locked_ind = soci::i_ok;
    int enrolled = 0, failed = 0;
    long long step = 0, locked = 0;
    bool found = false;
    select(sql_,
           "SELECT id, provider_id, status, password_hash, totp_secret, " +
               boolColumn("totp_enrolled") + ", totp_last_step, failed_logins, " +
               d_.ts("locked_until") + " FROM admins WHERE provider_id = " +
               p.text(scope.provider_id) + " AND id = " + p.text(id),
           p,
           [&](auto& pt) {
             pt, soci::into(c.admin_id), soci::into(c.provider_id), soci::into(status),
                 soci::into(hash, hash_ind), soci::into(secret, secret_ind), soci::into(enrolled),
                 soci::into(step, step_ind), soci::into(failed), soci::into(locked, locked_ind);
           },
           [&] { found = true; });
    if (!found) return fail(Status::notFound("administrator not found"));
    c.status = parseStatus(status);
    if (hash_ind != soci::i_null) c.password_hash = hash;
    if (secret_ind != soci::i_null) c.totp_secret = secret;
    c.totp_enrolled = enrolled != 0;
    c.totp_last_step = opt(step, step_ind);
    c.failed_logins = failed;
    c.locked_until = opt(locked, locked_ind);
    return c;
  });
}

Result<void> SociTx::setPasswordHash(const TenantScope& scope, const std::string& id,
                                     const std::string& password_hash) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE admins SET password_hash = " + p.text(password_hash) +
                 ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id),
             p),
        "administrator");
  });
}

Result<void> SociTx::setTotpSecret(const TenantScope& scope, const std::string& id,
                                   const std::optional<std::string>& secret) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE admins SET totp_secret = " + p.optText(secret) + ", totp_enrolled = " +
                 p.boolean(false) + ", totp_last_step = NULL, updated = " +
                 d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id),
             p),
        "administrator");
  });
}

Result<void> SociTx::setTotpEnrolled(const TenantScope& scope, const std::string& id,
                                     bool enrolled) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE admins SET totp_enrolled = " + p.boolean(enrolled) +
                 ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id),
             p),
        "administrator");
  });
}

Result<bool> SociTx::acceptTotpStep(const TenantScope& scope, const std::string& id,
                                    std::int64_t step) {
  return guarded([&]() -> Result<bool> {
    SqlParams p;
    long long changed =
        exec(sql_,
             "UPDATE admins SET totp_last_step = " + p.integer(step) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND id = " + p.text(id) +
                 " AND (totp_last_step IS NULL OR totp_last_step < " + p.integer(step) + ")",
             p);
    if (changed == 1) return true;
    SqlParams e;
    if (count(sql_,
              "SELECT COUNT(*) FROM admins WHERE provider_id = " + e.text(scope.provider_id) +
                  " AND id = " + e.text(id),
              e) == 0) {
      return fail(Status::notFound("administrator not found"));
    }
    return false;
  });
}

Result<int> SociTx::recordFailedLogin(const TenantScope& scope, const std::string& id,
                                      int lock_after, UnixTime lock_until) {
  return guarded([&]() -> Result<int> {
    SqlParams p;
    std::string lock =
        lock_after > 0 ? "CASE WHEN failed_logins + 1 >= " + p.integer(lock_after) + " THEN " +
                             d_.tsParam(p.integer(lock_until)) + " ELSE locked_until END"
                       : std::string("locked_until");
    long long changed =
        exec(sql_,
             "UPDATE admins SET failed_logins = failed_logins + 1, locked_until = " + lock +
                 " WHERE provider_id = " + p.text(scope.provider_id) + " AND id = " + p.text(id),
             p);
    if (auto one = requireOne(changed, "administrator"); !one) return fail(one.error());
    SqlParams s;
    int failed = 0;
    select(sql_,
           "SELECT failed_logins FROM admins WHERE provider_id = " + s.text(scope.provider_id) +
               " AND id = " + s.text(id),
           s, [&](auto& pt) { pt, soci::into(failed); }, [] {});
    return failed;
  });
}

Result<void> SociTx::clearFailedLogins(const TenantScope& scope, const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE admins SET failed_logins = 0, locked_until = NULL "
                           "WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND id = " + p.text(id),
                           p),
                      "administrator");
  });
}

// ---------------------------------------------------------------- grants

Result<void> SociTx::putGrant(const TenantScope& scope, const GrantRecord& g) {
  return guarded([&]() -> Result<void> {
    SqlParams del;
    exec(sql_,
         "DELETE FROM admin_org_grants WHERE provider_id = " + del.text(scope.provider_id) +
             " AND admin_id = " + del.text(g.admin_id) + " AND org_id = " + del.text(g.org_id),
         del);
    SqlParams p;
    std::optional<std::string> role;
    if (!g.role_name.empty()) role = g.role_name;
    // The composite foreign keys refuse an admin or org of another provider (kNotFound).
    exec(sql_,
         "INSERT INTO admin_org_grants (provider_id, admin_id, org_id, role_name, expires_at, "
         "created) VALUES (" +
             p.text(scope.provider_id) + ", " + p.text(g.admin_id) + ", " + p.text(g.org_id) +
             ", " + p.optText(role) + ", " + d_.tsParam(p.optInteger(optTime(g.expires_at))) +
             ", " + d_.tsParam(p.integer(g.created != 0 ? g.created : now())) + ")",
         p);
    return {};
  });
}

Result<void> SociTx::deleteGrant(const TenantScope& scope, const std::string& admin_id,
                                 const std::string& org_id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM admin_org_grants WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND admin_id = " + p.text(admin_id) +
                               " AND org_id = " + p.text(org_id),
                           p),
                      "grant");
  });
}

Result<std::vector<GrantRecord>> SociTx::listGrants(const TenantScope& scope,
                                                    const std::string& admin_id) {
  return guarded([&]() -> Result<std::vector<GrantRecord>> {
    SqlParams p;
    std::vector<GrantRecord> out;
    GrantRecord g;
    std::string role;
    soci::indicator role_ind = soci::i_ok, exp_ind = soci::i_ok;
    long long exp = 0, created = 0;
    select(sql_,
           "SELECT admin_id, org_id, role_name, " + d_.ts("expires_at") + ", " +
               d_.ts("created") + " FROM admin_org_grants WHERE provider_id = " +
               p.text(scope.provider_id) + " AND admin_id = " + p.text(admin_id) +
               " ORDER BY org_id",
           p,
           [&](auto& pt) {
             pt, soci::into(g.admin_id), soci::into(g.org_id), soci::into(role, role_ind),
                 soci::into(exp, exp_ind), soci::into(created);
           },
           [&] {
             GrantRecord r = g;
             r.role_name = role_ind == soci::i_null ? std::string() : role;
             r.expires_at = opt(exp, exp_ind);
             r.created = created;
             out.push_back(std::move(r));
           });
    return out;
  });
}

Result<std::vector<GrantRecord>> SociTx::listOrganizationGrants(const TenantScope& scope,
                                                                const std::string& org_id) {
  return guarded([&]() -> Result<std::vector<GrantRecord>> {
    SqlParams p;
    std::vector<GrantRecord> out;
    GrantRecord g;
    std::string role;
    soci::indicator role_ind = soci::i_ok, exp_ind = soci::i_ok;
    long long exp = 0, created = 0;
    select(sql_,
           "SELECT admin_id, org_id, role_name, " + d_.ts("expires_at") + ", " +
               d_.ts("created") + " FROM admin_org_grants WHERE provider_id = " +
               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
               " ORDER BY admin_id",
           p,
           [&](auto& pt) {
             pt, soci::into(g.admin_id), soci::into(g.org_id), soci::into(role, role_ind),
                 soci::into(exp, exp_ind), soci::into(created);
           },
           [&] {
             GrantRecord r = g;
             r.role_name = role_ind == soci::i_null ? std::string() : role;
             r.expires_at = opt(exp, exp_ind);
             r.created = created;
             out.push_back(std::move(r));
           });
    return out;
  });
}

Result<void> SociTx::replaceGrants(const TenantScope& scope, const std::string& admin_id,
                                   const std::vector<GrantRecord>& grants) {
  auto done = guarded([&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "DELETE FROM admin_org_grants WHERE provider_id = " + p.text(scope.provider_id) +
             " AND admin_id = " + p.text(admin_id),
         p);
    return {};
  });
  if (!done) return done;
  for (GrantRecord g : grants) {
    g.admin_id = admin_id;
    if (auto r = putGrant(scope, g); !r) return r;
  }
  return {};
}

// ---------------------------------------------------------------- sessions

Result<std::vector<SessionRecord>> SociTx::selectSessions(const std::string& where_sql,
                                                          SqlParams& p) {
  std::vector<SessionRecord> out;
  SessionRow row;
  select(sql_, "SELECT " + SessionRow::columns(d_) + " FROM sessions s " + where_sql, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

Result<void> SociTx::createSession(const TenantScope& scope, const SessionRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    std::optional<std::string> org;
    if (!r.org_id.empty()) org = r.org_id;
    exec(sql_,
         "INSERT INTO sessions (jti, provider_id, admin_id, kind, org_id, mfa, created, "
         "expires_at, revoked_at) VALUES (" +
             p.text(r.jti) + ", " + p.text(scope.provider_id) + ", " + p.text(r.admin_id) + ", " +
             p.text(std::string(sessionKindText(r.kind))) + ", " + p.optText(org) + ", " +
             p.boolean(r.mfa) + ", " + d_.tsParam(p.integer(r.created != 0 ? r.created : now())) +
             ", " + d_.tsParam(p.integer(r.expires_at)) + ", " +
             d_.tsParam(p.optInteger(optTime(r.revoked_at))) + ")",
         p);
    return {};
  });
}

Result<SessionRecord> SociTx::getSession(const TenantScope& scope, const std::string& jti) {
  return guarded([&]() -> Result<SessionRecord> {
    SqlParams p;
    auto rows = selectSessions(
        "WHERE s.provider_id = " + p.text(scope.provider_id) + " AND s.jti = " + p.text(jti), p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("session not found"));
    return std::move(rows->front());
  });
}

Result<void> SociTx::revokeSession(const TenantScope& scope, const std::string& jti,
                                   UnixTime at) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE sessions SET revoked_at = COALESCE(revoked_at, " +
                               d_.tsParam(p.integer(at)) + ") WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND jti = " + p.text(jti),
                           p),
                      "session");
  });
}

Result<std::int64_t> SociTx::revokeAdminSessions(const TenantScope& scope,
                                                 const std::string& admin_id, UnixTime at) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    return static_cast<std::int64_t>(
        exec(sql_,
             "UPDATE sessions SET revoked_at = " + d_.tsParam(p.integer(at)) +
                 " WHERE provider_id = " + p.text(scope.provider_id) +
                 " AND admin_id = " + p.text(admin_id) + " AND revoked_at IS NULL",
             p));
  });
}

// ---------------------------------------------------------------- API keys and tokens

Result<std::string> SociTx::replaceApiKey(const TenantScope& scope, const std::string& admin_id,
                                          const std::string& prefix,
                                          const std::string& key_hash) {
  return guarded([&]() -> Result<std::string> {
    UnixTime at = now();
    SqlParams r;
    exec(sql_,
         "UPDATE api_keys SET revoked_at = " + d_.tsParam(r.integer(at)) +
             " WHERE provider_id = " + r.text(scope.provider_id) +
             " AND admin_id = " + r.text(admin_id) + " AND revoked_at IS NULL",
         r);
    std::string id = newId();
    SqlParams p;
    exec(sql_,
         "INSERT INTO api_keys (id, provider_id, admin_id, prefix, key_hash, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(admin_id) + ", " +
             p.text(prefix) + ", " + p.text(key_hash) + ", " + d_.tsParam(p.integer(at)) + ")",
         p);
    return id;
  });
}

Result<void> SociTx::revokeApiKeys(const TenantScope& scope, const std::string& admin_id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "UPDATE api_keys SET revoked_at = " + d_.tsParam(p.integer(now())) +
             " WHERE provider_id = " + p.text(scope.provider_id) +
             " AND admin_id = " + p.text(admin_id) + " AND revoked_at IS NULL",
         p);
    return {};
  });
}

Result<void> SociTx::createToken(const TenantScope& scope, const TokenRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    exec(sql_,
         "INSERT INTO admin_tokens (token_hash, provider_id, admin_id, kind, created, expires_at) "
         "VALUES (" +
             p.text(r.token_hash) + ", " + p.text(scope.provider_id) + ", " + p.text(r.admin_id) +
             ", " + p.text(std::string(tokenKindText(r.kind))) + ", " +
             d_.tsParam(p.integer(r.created != 0 ? r.created : now())) + ", " +
             d_.tsParam(p.integer(r.expires_at)) + ")",
         p);
    return {};
  });
}

// ---------------------------------------------------------------- outbox

Result<std::vector<EmailRecord>> SociTx::selectEmails(const std::string& where_sql, SqlParams& p,
                                                      const std::string& tail) {
  std::vector<EmailRecord> out;
  EmailRow row;
  select(sql_, "SELECT " + EmailRow::columns(d_) + " FROM email_outbox e " + where_sql + tail, p,
         [&](auto& pt) { row.bind(pt); }, [&] { out.push_back(row.record()); });
  return out;
}

Result<std::string> SociTx::enqueueEmail(const TenantScope& scope, const EmailRecord& e) {
  return guarded([&]() -> Result<std::string> {
    std::string id = e.id.empty() ? newId() : e.id;
    SqlParams p;
    exec(sql_,
         "INSERT INTO email_outbox (id, provider_id, to_address, subject, body, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(e.to_address) + ", " +
             p.text(e.subject) + ", " + p.text(e.body) + ", " +
             d_.tsParam(p.integer(e.created != 0 ? e.created : now())) + ")",
         p);
    return id;
  });
}

Result<std::vector<EmailRecord>> SociTx::listEmails(const TenantScope& scope, bool pending_only,
                                                    int limit) {
  return guarded([&]() -> Result<std::vector<EmailRecord>> {
    SqlParams p;
    std::string w = "WHERE e.provider_id = " + p.text(scope.provider_id);
    if (pending_only) w += " AND e.sent_at IS NULL";
    return selectEmails(w, p, " ORDER BY e.created, e.id LIMIT " + p.integer(limit));
  });
}

Result<std::vector<EmailRecord>> SociTx::pendingEmails(int limit, int max_attempts) {
  return guarded([&]() -> Result<std::vector<EmailRecord>> {
    SqlParams p;
    return selectEmails("WHERE e.sent_at IS NULL AND e.attempts < " + p.integer(max_attempts), p,
                        " ORDER BY e.created, e.id LIMIT " + p.integer(limit));
  });
}

Result<void> SociTx::markEmailSent(const std::string& id, UnixTime at) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE email_outbox SET sent_at = " + d_.tsParam(p.integer(at)) +
                               ", attempts = attempts + 1 WHERE id = " + p.text(id),
                           p),
                      "email");
  });
}

Result<void> SociTx::markEmailFailed(const std::string& id, const std::string& error) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE email_outbox SET attempts = attempts + 1, last_error = " +
                               p.text(error) + " WHERE id = " + p.text(id),
                           p),
                      "email");
  });
}

// ---------------------------------------------------------------- activity

Result<std::string> SociTx::appendActivity(const TenantScope& scope, const ActivityRecord& a) {
  return guarded([&]() -> Result<std::string> {
    std::string id = a.id.empty() ? newId() : a.id;
    std::optional<std::string> org;
    if (!a.organization.empty()) org = a.organization;
    SqlParams p;
    exec(sql_,
         "INSERT INTO activity (id, provider_id, timestamp, event_type, initiated_by_id, "
         "initiated_by_type, initiated_by_email, organization, resource_type, resource_id, "
         "changes, client_ip, auth_method, success) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " +
             d_.tsParam(p.integer(a.timestamp != 0 ? a.timestamp : now())) + ", " +
             p.text(a.event_type) + ", " + p.text(a.initiated_by_id) + ", " +
             p.text(a.initiated_by_type) + ", " + p.text(a.initiated_by_email) + ", " +
             p.optText(org) + ", " + p.text(a.resource_type) + ", " + p.text(a.resource_id) +
             ", " + p.text(a.changes_json) + ", " + p.text(a.client_ip) + ", " +
             p.text(a.auth_method) + ", " + p.boolean(a.success) + ")",
         p);
    return id;
  });
}

Result<std::vector<ActivityRecord>> SociTx::listActivity(const TenantScope& scope,
                                                         const ActivityQuery& q) {
  if (q.limit < 1 || q.limit > 10000) {
    return fail(Status::invalidArgument("limit must be between 1 and 10000"));
  }
  return guarded([&]() -> Result<std::vector<ActivityRecord>> {
    SqlParams p;
    std::string w = " WHERE provider_id = " + p.text(scope.provider_id);
    if (q.start_time) w += " AND timestamp >= " + d_.tsParam(p.integer(*q.start_time));
    if (q.end_time) w += " AND timestamp < " + d_.tsParam(p.integer(*q.end_time));
    if (!q.event_type.empty()) w += " AND event_type = " + p.text(q.event_type);
    if (!q.initiated_by.empty()) w += " AND initiated_by_id = " + p.text(q.initiated_by);
    if (!q.organization.empty()) w += " AND organization = " + p.text(q.organization);
    if (q.after_timestamp) {
      w += " AND (timestamp < " + d_.tsParam(p.integer(*q.after_timestamp)) +
           " OR (timestamp = " + d_.tsParam(p.integer(*q.after_timestamp)) +
           " AND id < " + p.text(q.after_id) + "))";
    }
    std::vector<ActivityRecord> out;
    ActivityRecord a;
    std::string org;
    soci::indicator org_ind = soci::i_ok;
    long long ts = 0;
    int success = 0;
    select(sql_,
           "SELECT id, provider_id, " + d_.ts("timestamp") +
               ", event_type, initiated_by_id, initiated_by_type, initiated_by_email, "
               "organization, resource_type, resource_id, changes, client_ip, auth_method, " +
               boolColumn("success") + " FROM activity" + w +
               " ORDER BY timestamp DESC, id DESC LIMIT " + p.integer(q.limit),
           p,
           [&](auto& pt) {
             pt, soci::into(a.id), soci::into(a.provider_id), soci::into(ts),
                 soci::into(a.event_type), soci::into(a.initiated_by_id),
                 soci::into(a.initiated_by_type), soci::into(a.initiated_by_email),
                 soci::into(org, org_ind), soci::into(a.resource_type),
                 soci::into(a.resource_id), soci::into(a.changes_json), soci::into(a.client_ip),
                 soci::into(a.auth_method), soci::into(success);
           },
           [&] {
             ActivityRecord r = a;
             r.timestamp = ts;
             r.organization = org_ind == soci::i_null ? std::string() : org;
             r.success = success != 0;
             out.push_back(std::move(r));
           });
    return out;
  });
}

// ---------------------------------------------------------------- pre-scope and system

Result<std::vector<LoginCandidate>> SociTx::findAdminsByEmail(const std::string& email) {
  return guarded([&]() -> Result<std::vector<LoginCandidate>> {
    SqlParams p;
    std::vector<LoginCandidate> out;
    LoginCandidate c;
    select(sql_,
           "SELECT provider_id, id FROM admins WHERE lower(email) = lower(" + p.text(email) +
               ") ORDER BY provider_id",
           p, [&](auto& pt) { pt, soci::into(c.provider_id), soci::into(c.admin_id); },
           [&] { out.push_back(c); });
    return out;
  });
}

Result<SessionRecord> SociTx::findSession(const std::string& jti) {
  return guarded([&]() -> Result<SessionRecord> {
    SqlParams p;
    auto rows = selectSessions("WHERE s.jti = " + p.text(jti), p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("session not found"));
    return std::move(rows->front());
  });
}

Result<std::vector<ApiKeyRecord>> SociTx::findApiKeys(const std::string& prefix) {
  return guarded([&]() -> Result<std::vector<ApiKeyRecord>> {
    SqlParams p;
    std::vector<ApiKeyRecord> out;
    ApiKeyRecord k;
    long long created = 0;
    select(sql_,
           "SELECT id, provider_id, admin_id, prefix, key_hash, " + d_.ts("created") +
               " FROM api_keys WHERE prefix = " + p.text(prefix) + " AND revoked_at IS NULL",
           p,
           [&](auto& pt) {
             pt, soci::into(k.id), soci::into(k.provider_id), soci::into(k.admin_id),
                 soci::into(k.prefix), soci::into(k.key_hash), soci::into(created);
           },
           [&] {
             k.created = created;
             out.push_back(k);
           });
    return out;
  });
}

Result<TokenRecord> SociTx::consumeToken(const std::string& token_hash, TokenKind kind,
                                         UnixTime at) {
  return guarded([&]() -> Result<TokenRecord> {
    SqlParams p;
    TokenRecord t;
    std::string kind_text;
    long long created = 0, expires = 0;
    bool found = false;
    select(sql_,
           "SELECT token_hash, provider_id, admin_id, kind, " + d_.ts("created") + ", " +
               d_.ts("expires_at") + " FROM admin_tokens WHERE token_hash = " +
               p.text(token_hash) + " AND kind = " + p.text(std::string(tokenKindText(kind))) +
               " AND used_at IS NULL AND expires_at > " + d_.tsParam(p.integer(at)),
           p,
           [&](auto& pt) {
             pt, soci::into(t.token_hash), soci::into(t.provider_id), soci::into(t.admin_id),
                 soci::into(kind_text), soci::into(created), soci::into(expires);
           },
           [&] { found = true; });
    if (!found) return fail(Status::notFound("token not found"));
    SqlParams u;
    // Only one caller can flip used_at: a token is good once, even under a race.
    if (exec(sql_,
             "UPDATE admin_tokens SET used_at = " + d_.tsParam(u.integer(at)) +
                 " WHERE token_hash = " + u.text(token_hash) + " AND used_at IS NULL",
             u) != 1) {
      return fail(Status::notFound("token not found"));
    }
    t.kind = parseTokenKind(kind_text);
    t.created = created;
    t.expires_at = expires;
    t.used_at = at;
    return t;
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

Result<std::int64_t> SociTx::deleteExpiredSessions(UnixTime at) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    return static_cast<std::int64_t>(exec(
        sql_, "DELETE FROM sessions WHERE expires_at < " + d_.tsParam(p.integer(at)), p));
  });
}

Result<mtp::engine::DirectoryData> SociTx::loadDirectory() {
  return guarded([&]() -> Result<mtp::engine::DirectoryData> {
    mtp::engine::DirectoryData dir;
    std::map<std::string, std::size_t> provider_index;
    {
      SqlParams p;
      std::string id;
      int mfa = 0;
      select(sql_,
             "SELECT id, " + boolColumn("require_admin_mfa") + " FROM providers ORDER BY id", p,
             [&](auto& pt) { pt, soci::into(id), soci::into(mfa); },
             [&] {
               provider_index[id] = dir.providers.size();
               dir.providers.push_back({id, mfa != 0, {}});
             });
    }
    std::map<std::string, std::pair<std::size_t, std::size_t>> org_index;
    {
      SqlParams p;
      std::string id, provider, name;
      select(sql_, "SELECT id, provider_id, name FROM organizations ORDER BY provider_id, id", p,
             [&](auto& pt) { pt, soci::into(id), soci::into(provider), soci::into(name); },
             [&] {
               auto it = provider_index.find(provider);
               if (it == provider_index.end()) return;
               auto& orgs = dir.providers[it->second].organizations;
               org_index[id] = {it->second, orgs.size()};
               orgs.push_back({id, name, {}});
             });
    }
    {
      SqlParams p;
      std::string org, tag;
      select(sql_, "SELECT org_id, tag FROM organization_tags ORDER BY org_id, tag", p,
             [&](auto& pt) { pt, soci::into(org), soci::into(tag); },
             [&] {
               auto it = org_index.find(org);
               if (it == org_index.end()) return;
               dir.providers[it->second.first].organizations[it->second.second].tags.push_back(tag);
             });
    }
    std::map<std::string, std::size_t> admin_index;
    {
      SqlParams p;
      std::string id, provider, email, role, status;
      int mfa = 0, api = 0, all = 0;
      select(sql_,
             "SELECT id, provider_id, email, role_name, status, " +
                 boolColumn("enable_multi_factor") + ", " + boolColumn("api_key_allowed") + ", " +
                 boolColumn("all_organizations") + " FROM admins ORDER BY provider_id, id",
             p,
             [&](auto& pt) {
               pt, soci::into(id), soci::into(provider), soci::into(email), soci::into(role),
                   soci::into(status), soci::into(mfa), soci::into(api), soci::into(all);
             },
             [&] {
               mtp::engine::AdminData a;
               a.id = id;
               a.provider = provider;
               a.email = email;
               a.role = role;
               a.status = parseStatus(status);
               a.enable_multi_factor = mfa != 0;
               a.api_key_allowed = api != 0;
               a.all_organizations = all != 0;
               admin_index[id] = dir.admins.size();
               dir.admins.push_back(std::move(a));
             });
    }
    {
      SqlParams p;
      std::string admin, org, role;
      soci::indicator role_ind = soci::i_ok, exp_ind = soci::i_ok;
      long long exp = 0;
      select(sql_,
             "SELECT admin_id, org_id, role_name, " + d_.ts("expires_at") +
                 " FROM admin_org_grants ORDER BY admin_id, org_id",
             p,
             [&](auto& pt) {
               pt, soci::into(admin), soci::into(org), soci::into(role, role_ind),
                   soci::into(exp, exp_ind);
             },
             [&] {
               auto it = admin_index.find(admin);
               if (it == admin_index.end()) return;
               mtp::engine::GrantData g;
               g.organization = org;
               g.role = role_ind == soci::i_null ? std::string() : role;
               if (exp_ind != soci::i_null) g.expires_at = exp;
               dir.admins[it->second].organizations.push_back(std::move(g));
             });
    }
    return dir;
  });
}

// ---------------------------------------------------------------- devices, commands, connect keys

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
  void bind(soci::details::prepare_temp_type& pt) {
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
  void bind(soci::details::prepare_temp_type& pt) {
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
      return fail(Status::notFound("organization not found"));
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
    auto rows = selectDevices(w, p, "");
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("device not found"));
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
      return fail(Status::notFound("device not found"));
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
                               p, "");
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("command not found"));
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
                               p, " ORDER BY c.created ASC, c.id ASC");
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
    SqlParams op;
    if (count(sql_,
              "SELECT COUNT(*) FROM organizations WHERE provider_id = " +
                  op.text(scope.provider_id) + " AND id = " + op.text(r.org_id),
              op) == 0) {
      return fail(Status::notFound("organization not found"));
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
    SqlParams p;
    auto rows = selectConnectKeys("k.provider_id = " + p.text(scope.provider_id) +
                                      " AND k.org_id = " + p.text(org_id) +
                                      " AND k.revoked_at IS NULL",
                                  p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("connect key not found"));
    return rows->front();
  });
}

Result<ConnectKeyRecord> SociTx::findConnectKey(const std::string& key_hash) {
  return guarded([&]() -> Result<ConnectKeyRecord> {
    SqlParams p;
    auto rows = selectConnectKeys(
        "k.key_hash = " + p.text(key_hash) + " AND k.revoked_at IS NULL", p);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("connect key not found"));
    return rows->front();
  });
}

Result<std::string> SociTx::findOrganizationProvider(const std::string& org_id) {
  return guarded([&]() -> Result<std::string> {
    SqlParams p;
    std::string provider;
    bool found = false;
    select(sql_, "SELECT provider_id FROM organizations WHERE id = " + p.text(org_id), p,
           [&](auto& pt) { pt, soci::into(provider); }, [&] { found = true; });
    if (!found) return fail(Status::notFound("organization not found"));
    return provider;
  });
}

Result<DeviceRecord> SociTx::findDeviceByKey(const std::string& device_key_hash) {
  return guarded([&]() -> Result<DeviceRecord> {
    SqlParams p;
    auto rows = selectDevices("v.device_key_hash = " + p.text(device_key_hash), p, "");
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(Status::notFound("device not found"));
    return rows->front();
  });
}

// ---------------------------------------------------------------- users of managed orgs

namespace {

// password_expired as the API shows it: forced, or the expiration date has passed at `now`
// (the store's clock, written as a literal integer: never caller text).
std::string userExpiredSql(const Dialect& d, UnixTime now) {
  return "(CASE WHEN u.password_expired OR (u.password_expiration_date IS NOT NULL AND "
         "u.password_expiration_date <= " +
         d.tsParam(std::to_string(now)) + ") THEN 1 ELSE 0 END)";
}

std::vector<FieldSpec> userFields(const Dialect& d, UnixTime now) {
  return {
      {"id", "u.id", FieldKind::kText},
      {"username", "u.username", FieldKind::kTextCi},
      {"email", "u.email", FieldKind::kTextCi},
      {"firstname", "u.firstname", FieldKind::kText},
      {"lastname", "u.lastname", FieldKind::kText},
      {"state", "u.state", FieldKind::kText},
      {"organization", "u.org_id", FieldKind::kText},
      {"account_locked", "u.account_locked", FieldKind::kBool},
      {"password_expired", userExpiredSql(d, now), FieldKind::kBool},
      {"password_expiration_date", "u.password_expiration_date", FieldKind::kTime},
      {"totp_enabled", "u.totp_enabled", FieldKind::kBool},
      {"sudo", "u.sudo", FieldKind::kBool},
      {"passwordless_sudo", "u.passwordless_sudo", FieldKind::kBool},
      {"samba_service_user", "u.samba_service_user", FieldKind::kBool},
      {"created", "u.created", FieldKind::kTime},
      {"updated", "u.updated", FieldKind::kTime},
  };
}

struct UserRow {
  std::string id, provider_id, org_id, username, email, firstname, lastname, state;
  int totp = 0, sudo = 0, pwless = 0, samba = 0, locked = 0, failed = 0, expired = 0, pw_set = 0;
  long long exp_date = 0, susp_at = 0, act_at = 0, locked_at = 0, pw_set_at = 0, created = 0,
            updated = 0;
  soci::indicator exp_ind = soci::i_ok, susp_ind = soci::i_ok, act_ind = soci::i_ok,
                  locked_ind = soci::i_ok, pw_set_ind = soci::i_ok;

  static std::string columns(const Dialect& d, UnixTime now) {
    return "u.id, u.provider_id, u.org_id, u.username, u.email, u.firstname, u.lastname, "
           "u.state, " +
           boolColumn("u.totp_enabled") + ", " + boolColumn("u.sudo") + ", " +
           boolColumn("u.passwordless_sudo") + ", " + boolColumn("u.samba_service_user") + ", " +
           boolColumn("u.account_locked") + ", u.failed_logins, " + userExpiredSql(d, now) +
           ", CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END, " +
           d.ts("u.password_expiration_date") + ", " + d.ts("u.scheduled_suspension_at") + ", " +
           d.ts("u.scheduled_activation_at") + ", " + d.ts("u.locked_at") + ", " +
           d.ts("u.password_set_at") + ", " + d.ts("u.created") + ", " + d.ts("u.updated");
  }
  void bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(provider_id), soci::into(org_id), soci::into(username),
        soci::into(email), soci::into(firstname), soci::into(lastname), soci::into(state),
        soci::into(totp), soci::into(sudo), soci::into(pwless), soci::into(samba),
        soci::into(locked), soci::into(failed), soci::into(expired), soci::into(pw_set),
        soci::into(exp_date, exp_ind), soci::into(susp_at, susp_ind), soci::into(act_at, act_ind),
        soci::into(locked_at, locked_ind), soci::into(pw_set_at, pw_set_ind), soci::into(created),
        soci::into(updated);
  }
  SystemUserRecord record() const {
    SystemUserRecord r;
    r.id = id;
    r.provider_id = provider_id;
    r.org_id = org_id;
    r.username = username;
    r.email = email;
    r.firstname = firstname;
    r.lastname = lastname;
    r.state = parseUserState(state).value_or(UserState::kStaged);
    r.totp_enabled = totp != 0;
    r.sudo = sudo != 0;
    r.passwordless_sudo = pwless != 0;
    r.samba_service_user = samba != 0;
    r.account_locked = locked != 0;
    r.failed_logins = failed;
    r.password_expired = expired != 0;
    r.password_set = pw_set != 0;
    r.password_expiration_date = opt(exp_date, exp_ind);
    r.scheduled_suspension_at = opt(susp_at, susp_ind);
    r.scheduled_activation_at = opt(act_at, act_ind);
    r.locked_at = opt(locked_at, locked_ind);
    r.password_set_at = opt(pw_set_at, pw_set_ind);
    r.created = created;
    r.updated = updated;
    return r;
  }
};

std::string optTsParam(const Dialect& d, SqlParams& p, const std::optional<UnixTime>& t) {
  if (!t) return "NULL";
  return d.tsParam(p.integer(*t));
}

}  // namespace

Result<std::string> SociTx::createSystemUser(const TenantScope& scope, const SystemUserRecord& r,
                                             const std::optional<std::string>& password_hash) {
  if (r.username.empty()) return fail(Status::invalidArgument("username is required"));
  return guarded([&]() -> Result<std::string> {
    SqlParams op;
    if (count(sql_,
              "SELECT COUNT(*) FROM organizations WHERE provider_id = " +
                  op.text(scope.provider_id) + " AND id = " + op.text(r.org_id),
              op) == 0) {
      return fail(Status::notFound("organization not found"));
    }
    SqlParams cp;
    if (count(sql_,
              "SELECT COUNT(*) FROM system_users WHERE provider_id = " +
                  cp.text(scope.provider_id) + " AND org_id = " + cp.text(r.org_id) +
                  " AND lower(username) = lower(" + cp.text(r.username) + ")",
              cp) > 0) {
      return fail(Status::conflict("a user with this username exists in the organization"));
    }
    std::string id = r.id.empty() ? newId() : r.id;
    UnixTime created = r.created != 0 ? r.created : now();
    std::optional<UnixTime> pw_set_at;
    if (password_hash) pw_set_at = created;
    SqlParams p;
    std::string q =
        "INSERT INTO system_users (id, provider_id, org_id, username, email, firstname, lastname, "
        "state, password_hash, password_set_at, password_expiration_date, totp_enabled, sudo, "
        "passwordless_sudo, samba_service_user, scheduled_suspension_at, scheduled_activation_at, "
        "created, updated) VALUES (" +
        p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.org_id) + ", " +
        p.text(r.username) + ", " + p.text(r.email) + ", " + p.text(r.firstname) + ", " +
        p.text(r.lastname) + ", " + p.text(std::string(userStateText(r.state))) + ", " +
        p.optText(password_hash) + ", " + optTsParam(d_, p, pw_set_at) + ", " +
        optTsParam(d_, p, r.password_expiration_date) + ", " + p.boolean(r.totp_enabled) + ", " +
        p.boolean(r.sudo) + ", " + p.boolean(r.passwordless_sudo) + ", " +
        p.boolean(r.samba_service_user) + ", " + optTsParam(d_, p, r.scheduled_suspension_at) +
        ", " + optTsParam(d_, p, r.scheduled_activation_at) + ", " +
        d_.tsParam(p.integer(created)) + ", " + d_.tsParam(p.integer(created)) + ")";
    exec(sql_, q, p);
    return id;
  });
}

Result<SystemUserRecord> SociTx::getSystemUser(const TenantScope& scope, const std::string& org_id,
                                               const std::string& id) {
  return guarded([&]() -> Result<SystemUserRecord> {
    SqlParams p;
    UserRow row;
    std::optional<SystemUserRecord> out;
    select(sql_,
           "SELECT " + UserRow::columns(d_, now()) +
               " FROM system_users u WHERE u.provider_id = " + p.text(scope.provider_id) +
               " AND u.org_id = " + p.text(org_id) + " AND u.id = " + p.text(id),
           p, [&](auto& pt) { row.bind(pt); }, [&] { out = row.record(); });
    if (!out) return fail(Status::notFound("user not found"));
    return *out;
  });
}

Result<void> SociTx::updateSystemUser(const TenantScope& scope, const SystemUserRecord& r) {
  if (r.username.empty()) return fail(Status::invalidArgument("username is required"));
  return guarded([&]() -> Result<void> {
    SqlParams cp;
    if (count(sql_,
              "SELECT COUNT(*) FROM system_users WHERE provider_id = " +
                  cp.text(scope.provider_id) + " AND org_id = " + cp.text(r.org_id) +
                  " AND lower(username) = lower(" + cp.text(r.username) + ") AND id <> " +
                  cp.text(r.id),
              cp) > 0) {
      return fail(Status::conflict("a user with this username exists in the organization"));
    }
    SqlParams p;
    std::string q =
        "UPDATE system_users SET username = " + p.text(r.username) + ", email = " +
        p.text(r.email) + ", firstname = " + p.text(r.firstname) + ", lastname = " +
        p.text(r.lastname) + ", state = " + p.text(std::string(userStateText(r.state))) +
        ", totp_enabled = " + p.boolean(r.totp_enabled) + ", sudo = " + p.boolean(r.sudo) +
        ", passwordless_sudo = " + p.boolean(r.passwordless_sudo) +
        ", samba_service_user = " + p.boolean(r.samba_service_user) +
        ", password_expiration_date = " + optTsParam(d_, p, r.password_expiration_date) +
        ", scheduled_suspension_at = " + optTsParam(d_, p, r.scheduled_suspension_at) +
        ", scheduled_activation_at = " + optTsParam(d_, p, r.scheduled_activation_at) +
        ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
        p.text(scope.provider_id) + " AND org_id = " + p.text(r.org_id) + " AND id = " +
        p.text(r.id);
    return requireOne(exec(sql_, q, p), "user");
  });
}

Result<void> SociTx::deleteSystemUser(const TenantScope& scope, const std::string& org_id,
                                      const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "DELETE FROM system_users WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                               " AND id = " + p.text(id),
                           p),
                      "user");
  });
}

Result<Page<SystemUserRecord>> SociTx::listSystemUsers(const TenantScope& scope,
                                                       const OrgReach& reach,
                                                       const ListQuery& query) {
  if (auto ok = checkPaging(query); !ok) return fail(ok.error());
  return guarded([&]() -> Result<Page<SystemUserRecord>> {
    const UnixTime at = now();
    const std::vector<FieldSpec> fields = userFields(d_, at);
    auto where = [&](SqlParams& p) -> Result<std::string> {
      std::string w = " WHERE u.provider_id = " + p.text(scope.provider_id);
      if (!reach.all) w += " AND " + inList("u.org_id", reach.ids, p);
      auto f = filterSql(fields, query.filters, p, d_, "u.org_id");
      if (!f) return fail(f.error());
      return w + *f;
    };
    auto order = orderSql(fields, query.sort, "u.id");
    if (!order) return fail(order.error());
    Page<SystemUserRecord> page;
    SqlParams cp;
    auto cw = where(cp);
    if (!cw) return fail(cw.error());
    page.total_count = count(sql_, "SELECT COUNT(*) FROM system_users u" + *cw, cp);
    SqlParams p;
    auto w = where(p);
    std::string q = "SELECT " + UserRow::columns(d_, at) + " FROM system_users u" + *w + *order +
                    " LIMIT " + p.integer(query.limit) + " OFFSET " + p.integer(query.skip);
    UserRow row;
    select(sql_, q, p, [&](auto& pt) { row.bind(pt); },
           [&] { page.results.push_back(row.record()); });
    return page;
  });
}

Result<void> SociTx::setSystemUserState(const TenantScope& scope, const std::string& org_id,
                                        const std::string& id, UserState state) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE system_users SET state = " + p.text(std::string(userStateText(state))) +
                 ", updated = " + d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                 " AND id = " + p.text(id),
             p),
        "user");
  });
}

Result<void> SociTx::unlockSystemUser(const TenantScope& scope, const std::string& org_id,
                                      const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE system_users SET account_locked = " + p.boolean(false) +
                 ", failed_logins = 0, locked_at = NULL, updated = " +
                 d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                 " AND id = " + p.text(id),
             p),
        "user");
  });
}

Result<void> SociTx::expireSystemUserPassword(const TenantScope& scope, const std::string& org_id,
                                              const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(
        exec(sql_,
             "UPDATE system_users SET password_expired = " + p.boolean(true) + ", updated = " +
                 d_.tsParam(p.integer(now())) + " WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                 " AND id = " + p.text(id),
             p),
        "user");
  });
}

Result<int> SociTx::recordSystemUserFailedLogin(const TenantScope& scope,
                                                const std::string& org_id, const std::string& id,
                                                int lock_after) {
  return guarded([&]() -> Result<int> {
    SqlParams p;
    if (auto one = requireOne(
            exec(sql_,
                 "UPDATE system_users SET failed_logins = failed_logins + 1 WHERE provider_id = " +
                     p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                     " AND id = " + p.text(id),
                 p),
            "user");
        !one) {
      return fail(one.error());
    }
    SqlParams cp;
    int n = 0;
    select(sql_,
           "SELECT failed_logins FROM system_users WHERE provider_id = " +
               cp.text(scope.provider_id) + " AND org_id = " + cp.text(org_id) + " AND id = " +
               cp.text(id),
           cp, [&](auto& pt) { pt, soci::into(n); }, [] {});
    if (lock_after > 0 && n >= lock_after) {
      SqlParams lp;
      exec(sql_,
           "UPDATE system_users SET account_locked = " + lp.boolean(true) + ", locked_at = " +
               d_.tsParam(lp.integer(now())) + " WHERE provider_id = " +
               lp.text(scope.provider_id) + " AND org_id = " + lp.text(org_id) + " AND id = " +
               lp.text(id) + " AND NOT account_locked",
           lp);
    }
    return n;
  });
}

Result<SystemUserLogin> SociTx::getSystemUserLogin(const TenantScope& scope,
                                                   const std::string& org_id,
                                                   const std::string& username) {
  return guarded([&]() -> Result<SystemUserLogin> {
    SqlParams p;
    UserRow row;
    std::string hash;
    soci::indicator hash_ind = soci::i_ok;
    std::optional<SystemUserLogin> out;
    select(sql_,
           "SELECT " + UserRow::columns(d_, now()) +
               ", u.password_hash FROM system_users u WHERE u.provider_id = " +
               p.text(scope.provider_id) + " AND u.org_id = " + p.text(org_id) +
               " AND lower(u.username) = lower(" + p.text(username) + ")",
           p,
           [&](auto& pt) {
             row.bind(pt);
             pt, soci::into(hash, hash_ind);
           },
           [&] {
             SystemUserLogin l;
             l.user = row.record();
             if (hash_ind != soci::i_null) l.password_hash = hash;
             out = std::move(l);
           });
    if (!out) return fail(Status::notFound("user not found"));
    return *out;
  });
}

Result<std::int64_t> SociTx::applyPasswordExpirationDays(const TenantScope& scope,
                                                         const std::string& org_id, int days) {
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    std::string date = "NULL";
    if (days > 0) {
      date = d_.postgres() ? "password_set_at + make_interval(days => CAST(" + p.integer(days) + " AS INTEGER))"
                           : "password_set_at + " + p.integer(static_cast<std::int64_t>(days) * 86400);
    }
    return static_cast<std::int64_t>(
        exec(sql_,
             "UPDATE system_users SET password_expiration_date = " + date +
                 " WHERE provider_id = " + p.text(scope.provider_id) + " AND org_id = " +
                 p.text(org_id) + " AND password_hash IS NOT NULL AND password_set_at IS NOT NULL",
             p));
  });
}

Result<void> SociTx::clearSystemUserFailedLogins(const TenantScope& scope,
                                                 const std::string& org_id,
                                                 const std::string& id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE system_users SET failed_logins = 0 WHERE provider_id = " +
                               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id) +
                               " AND id = " + p.text(id),
                           p),
                      "user");
  });
}

Result<PasswordPolicyRecord> SociTx::getPasswordPolicy(const TenantScope& scope,
                                                       const std::string& org_id) {
  return guarded([&]() -> Result<PasswordPolicyRecord> {
    SqlParams op;
    if (count(sql_,
              "SELECT COUNT(*) FROM organizations WHERE provider_id = " +
                  op.text(scope.provider_id) + " AND id = " + op.text(org_id),
              op) == 0) {
      return fail(Status::notFound("organization not found"));
    }
    PasswordPolicyRecord out;
    out.org_id = org_id;
    SqlParams p;
    int lockout = 0, days = 0;
    select(sql_,
           "SELECT lockout_after_failures, password_expiration_days FROM org_password_policies "
           "WHERE provider_id = " +
               p.text(scope.provider_id) + " AND org_id = " + p.text(org_id),
           p, [&](auto& pt) { pt, soci::into(lockout), soci::into(days); },
           [&] {
             out.lockout_after_failures = lockout;
             out.password_expiration_days = days;
           });
    return out;
  });
}

Result<void> SociTx::putPasswordPolicy(const TenantScope& scope, const PasswordPolicyRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams op;
    if (count(sql_,
              "SELECT COUNT(*) FROM organizations WHERE provider_id = " +
                  op.text(scope.provider_id) + " AND id = " + op.text(r.org_id),
              op) == 0) {
      return fail(Status::notFound("organization not found"));
    }
    SqlParams del;
    exec(sql_,
         "DELETE FROM org_password_policies WHERE provider_id = " + del.text(scope.provider_id) +
             " AND org_id = " + del.text(r.org_id),
         del);
    SqlParams p;
    exec(sql_,
         "INSERT INTO org_password_policies (org_id, provider_id, lockout_after_failures, "
         "password_expiration_days, updated) VALUES (" +
             p.text(r.org_id) + ", " + p.text(scope.provider_id) + ", " +
             p.integer(r.lockout_after_failures) + ", " + p.integer(r.password_expiration_days) +
             ", " + d_.tsParam(p.integer(now())) + ")",
         p);
    return {};
  });
}

}  // namespace mtp::store::detail
