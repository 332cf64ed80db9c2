// SociTx: the activity log and the email outbox — store/activity_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

struct EmailRow {
  std::string id, provider_id, to, subject, body, last_error;
  soci::indicator sent_ind = soci::i_ok, error_ind = soci::i_ok;
  long long created = 0, sent_at = 0;
  int attempts = 0;

  static std::string columns(const Dialect& d) {
    return "e.id, e.provider_id, e.to_address, e.subject, e.body, " + d.ts("e.created") + ", " +
           d.ts("e.sent_at") + ", e.attempts, e.last_error";
  }
  template <class Binder>
  void bind(Binder& pt) {
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

// What one event may store (issue 10 item 5): a request's text (a 1 MB header) must not grow
// the log. Short fields are cut at kMaxEventField bytes (on a UTF-8 boundary); changes over
// kMaxEventChanges bytes are replaced by a note of their size.
constexpr std::size_t kMaxEventField = 256;
constexpr std::size_t kMaxEventChanges = 16 * 1024;

void capField(std::string& s) {
  if (s.size() <= kMaxEventField) return;
  std::size_t n = kMaxEventField;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not mid-character
  s.resize(n);
}

ActivityRecord capped(ActivityRecord a) {
  for (std::string* f : {&a.event_type, &a.initiated_by_id, &a.initiated_by_type, &a.initiated_by_email,
                         &a.organization, &a.resource_type, &a.resource_id, &a.client_ip, &a.auth_method})
    capField(*f);
  if (a.changes_json.size() > kMaxEventChanges)
    a.changes_json = R"([{"field":"changes","from":"","to":"omitted: )" + std::to_string(a.changes_json.size()) +
                     R"( bytes"}])";
  return a;
}

}  // namespace

// ---------------------------------------------------------------- activity

Result<std::string> SociTx::appendActivity(const TenantScope& scope, const ActivityRecord& event) {
  return guarded([&]() -> Result<std::string> {
    const ActivityRecord a = capped(event);
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
    if (!q.reach.all || !q.provider_level) {
      const std::string orgs = q.reach.all ? "organization IS NOT NULL" : inList("organization", q.reach.ids, p);
      w += q.provider_level ? " AND (organization IS NULL OR " + orgs + ")" : " AND " + orgs;
    }
    if (q.after_timestamp) {
      // The first bound is implied by the second; it makes the cursor an index condition (the
      // scan starts at the cursor instead of filtering every younger row of its partition).
      w += " AND timestamp <= " + d_.tsParam(p.integer(*q.after_timestamp));
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

}  // namespace mtp::store::detail
