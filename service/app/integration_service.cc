#include "app/integration_service.h"

#include <algorithm>
#include <set>

namespace mtp::app {

namespace {

constexpr std::size_t kMaxField = 300;
constexpr std::size_t kMaxSecret = 1000;
constexpr std::size_t kMaxRequestText = 2000;
constexpr std::size_t kMaxMappings = 10000;

std::vector<std::string> splitKinds(const std::string& csv) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < csv.size()) {
    const auto comma = csv.find(',', at);
    const auto end = comma == std::string::npos ? csv.size() : comma;
    if (end > at) out.push_back(csv.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

std::string joinKinds(const std::vector<std::string>& kinds) {
  std::string out;
  for (const auto& k : kinds) out += (out.empty() ? "" : ",") + k;
  return out;
}

bool printable(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Result<void> checkField(const std::string& name, const std::string& v, bool required, std::size_t max = kMaxField) {
  if (required && v.empty()) return fail(Status::invalidArgument("field `" + name + "` is required"));
  if (v.size() > max) return fail(Status::invalidArgument("field `" + name + "` is too long"));
  if (!printable(v)) return fail(Status::invalidArgument("field `" + name + "` holds control characters"));
  return {};
}

Result<void> checkKind(const std::string& kind) {
  if (!isPsaKind(kind)) return fail(Status::notFound("unknown integration `" + kind + "`"));
  return {};
}

Result<void> checkInput(const std::string& kind, const IntegrationInput& in) {
  if (auto c = checkField("siteUrl", in.site_url, true); !c) return c;
  if (!in.site_url.starts_with("https://") && !in.site_url.starts_with("http://")) {
    return fail(Status::invalidArgument("field `siteUrl` must be an http(s) URL"));
  }
  if (in.site_url.find_first_of(" ?#@") != std::string::npos) {
    return fail(Status::invalidArgument("field `siteUrl` must be a plain base URL (no spaces, query, fragment or user)"));
  }
  const bool cw = kind == "connectwise";
  if (auto c = checkField("companyId", in.company_id, cw); !c) return c;
  if (auto c = checkField(cw ? "clientId" : "integrationCode", in.integration_code, true); !c) return c;
  if (auto c = checkField(cw ? "publicKey" : "userName", in.username, true); !c) return c;
  if (in.secret) {
    if (auto c = checkField(cw ? "privateKey" : "secret", *in.secret, true, kMaxSecret); !c) return c;
  }
  if (in.price_per_user_cents < 0 || in.price_per_user_cents > 100'000'000) {
    return fail(Status::invalidArgument("field `pricePerUserCents` must be from 0 to 100000000"));
  }
  for (const auto& k : in.ticket_alert_kinds) {
    if (std::none_of(std::begin(kPsaAlertKinds), std::end(kPsaAlertKinds), [&](const char* a) { return k == a; })) {
      return fail(Status::invalidArgument("unknown ticket alert kind `" + k + "` (user_locked, device_inactive_7d)"));
    }
  }
  return {};
}

}  // namespace

bool isPsaKind(const std::string& kind) {
  return std::any_of(std::begin(kPsaKinds), std::end(kPsaKinds), [&](const char* k) { return kind == k; });
}

Result<std::vector<IntegrationView>> IntegrationService::list(const Actor& actor) {
  std::vector<IntegrationView> out;
  auto done = app_.store().query([&](store::Tx& tx) -> Result<void> {
    auto rows = tx.listIntegrations(actor.scope());
    if (!rows) return fail(rows.error());
    for (const char* kind : kPsaKinds) {
      IntegrationView v;
      v.kind = kind;
      for (const auto& r : *rows) {
        if (r.kind != kind) continue;
        v.configured = true;
        v.record = r;
        v.record.secret_sealed.clear();
        v.ticket_alert_kinds = splitKinds(r.ticket_alert_kinds);
      }
      if (v.configured) {
        auto maps = tx.listPsaMappings(actor.scope(), kind);
        if (!maps) return fail(maps.error());
        v.mapped_organizations = static_cast<std::int64_t>(maps->size());
        auto runs = tx.listSyncRuns(actor.scope(), kind, 1);
        if (!runs) return fail(runs.error());
        if (!runs->empty()) v.last_sync = runs->front();
      }
      out.push_back(std::move(v));
    }
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<IntegrationView> IntegrationService::put(Actor actor, const std::string& kind, const IntegrationInput& in,
                                                   const IfMatch& if_match) {
  if (auto k = checkKind(kind); !k) return fail(k.error());
  if (auto c = checkInput(kind, in); !c) return fail(c.error());
  const auth::SecretBox* box = app_.secrets();
  if (box == nullptr) return fail(Status::unavailable());
  const std::optional<std::string> sealed = in.secret ? std::optional(box->seal(*in.secret)) : std::nullopt;
  store::IntegrationRecord rec;
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto before = tx.getIntegration(actor.scope(), kind);
    if (!before && before.error().isNotFound() == false) return fail(before.error());
    if (auto ok = if_match.check(before ? before->version : 0, "the integration"); !ok) return ok;
    if (!before && !sealed) {
      return fail(Status::invalidArgument(
          kind == "connectwise" ? "field `privateKey` is required" : "field `secret` is required"));
    }
    rec.kind = kind;
    rec.site_url = in.site_url;
    rec.company_id = in.company_id;
    rec.integration_code = in.integration_code;
    rec.username = in.username;
    rec.secret_sealed = sealed ? *sealed : before->secret_sealed;
    rec.enabled = in.enabled;
    rec.price_per_user_cents = in.price_per_user_cents;
    rec.ticket_alert_kinds = joinKinds(in.ticket_alert_kinds);
    if (auto p = tx.putIntegration(actor.scope(), rec); !p) return fail(p.error());
    // The changed non-secret fields; the credentials only as "replaced", never their value.
    std::vector<Change> changes;
    auto field = [&](const char* name, const std::string& from, const std::string& to) {
      if (!before || from != to) changes.push_back(Change{name, before ? from : "", to});
    };
    field("siteUrl", before ? before->site_url : "", rec.site_url);
    field("companyId", before ? before->company_id : "", rec.company_id);
    field(kind == "connectwise" ? "clientId" : "integrationCode", before ? before->integration_code : "",
          rec.integration_code);
    field(kind == "connectwise" ? "publicKey" : "userName", before ? before->username : "", rec.username);
    field("enabled", before ? (before->enabled ? "true" : "false") : "", rec.enabled ? "true" : "false");
    field("pricePerUserCents", before ? std::to_string(before->price_per_user_cents) : "",
          std::to_string(rec.price_per_user_cents));
    field("ticketAlertKinds", before ? before->ticket_alert_kinds : "", rec.ticket_alert_kinds);
    if (sealed) changes.push_back(Change{"credentials", before ? "set" : "", before ? "replaced" : "set"});
    auto ev = activityEvent(actor, "integration_update", "integration", kind, changes);
    if (auto a = tx.appendActivity(actor.scope(), ev); !a) return fail(a.error());
    return {};
  });
  if (!done) return fail(done.error());
  auto views = list(actor);
  if (!views) return fail(views.error());
  for (auto& v : *views) {
    if (v.kind == kind) return v;
  }
  return fail(Status::internal());
}

Result<void> IntegrationService::remove(Actor actor, const std::string& kind, const IfMatch& if_match) {
  if (auto k = checkKind(kind); !k) return fail(k.error());
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    if (if_match.versions) {
      auto before = tx.getIntegration(actor.scope(), kind);  // the provider's row lock
      if (!before && !before.error().isNotFound()) return fail(before.error());
      if (auto ok = if_match.check(before ? before->version : 0, "the integration"); !ok) return ok;
    }
    auto removed = tx.deleteIntegration(actor.scope(), kind);
    if (!removed) return fail(removed.error());
    if (!*removed) return {};
    auto ev = activityEvent(actor, "integration_delete", "integration", kind);
    if (auto a = tx.appendActivity(actor.scope(), ev); !a) return fail(a.error());
    return {};
  });
  if (!done) return fail(done.error());
  return {};
}

Result<ConnectionTest> IntegrationService::test(const Actor& actor, const std::string& kind) {
  if (auto k = checkKind(kind); !k) return fail(k.error());
  auto rec = app_.store().query([&](store::Tx& tx) { return tx.getIntegration(actor.scope(), kind); });
  if (!rec) {
    if (rec.error().isNotFound()) return fail(Status::conflict(kind + " is not configured"));
    return fail(rec.error());
  }
  if (rec->demo) return ConnectionTest{false, "demo integration: no real PSA behind it"};
  const auth::SecretBox* box = app_.secrets();
  if (box == nullptr) return fail(Status::unavailable());
  auto secret = box->open(rec->secret_sealed);
  if (!secret) return ConnectionTest{false, "stored credentials cannot be read (" + secret.error() + "): enter them again"};
  auto client = app_.psaClients()(psa::Connection{kind, rec->site_url, rec->company_id, rec->integration_code,
                                                  rec->username, *secret});
  if (!client) return ConnectionTest{false, client.error()};
  auto r = (*client)->testConnection();
  if (!r) return ConnectionTest{false, r.error()};
  return ConnectionTest{true, "connected"};
}

Result<PsaMappings> IntegrationService::mappings(const Actor& actor, const std::string& kind) {
  if (auto k = checkKind(kind); !k) return fail(k.error());
  auto out = app_.store().query([&](store::Tx& tx) -> Result<PsaMappings> {
    PsaMappings m;
    auto integ = tx.getIntegration(actor.scope(), kind);
    if (integ) {
      m.version = integ->version;
    } else if (!integ.error().isNotFound()) {
      return fail(integ.error());
    }
    auto rows = tx.listPsaMappings(actor.scope(), kind);
    if (!rows) return fail(rows.error());
    m.rows = std::move(*rows);
    return m;
  });
  if (!out) return fail(out.error());
  return std::move(*out);
}

Result<PsaMappings> IntegrationService::putMappings(
    Actor actor, const std::string& kind, const std::vector<store::PsaMappingRecord>& mappings,
    const model::OrgReach& reach, const IfMatch& if_match) {
  if (auto k = checkKind(kind); !k) return fail(k.error());
  if (mappings.size() > kMaxMappings) return fail(Status::invalidArgument("too many mappings"));
  std::set<std::string> seen;
  for (const auto& m : mappings) {
    if (auto c = checkField("organization", m.org_id, true); !c) return fail(c.error());
    if (auto c = checkField("psaCompanyId", m.psa_company_id, true); !c) return fail(c.error());
    if (auto c = checkField("psaCompanyName", m.psa_company_name, false); !c) return fail(c.error());
    if (auto c = checkField(kind == "connectwise" ? "agreementId" : "contractId", m.agreement_id, true); !c)
      return fail(c.error());
    if (auto c = checkField(kind == "connectwise" ? "additionId" : "serviceId", m.service_id, true); !c)
      return fail(c.error());
    if (!seen.insert(m.org_id).second) return fail(Status::invalidArgument("organization " + m.org_id + " is mapped twice"));
    // An org the caller does not reach is answered as one that does not exist.
    if (!reach.all && std::find(reach.ids.begin(), reach.ids.end(), m.org_id) == reach.ids.end()) {
      return fail(Status::notFound().withDetail("organization " + m.org_id + " not found"));
    }
  }
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto integ = tx.getIntegration(actor.scope(), kind);
    if (!integ) {
      if (integ.error().isNotFound())
        return fail(Status::conflict(kind + " is not configured"));
      return fail(integ.error());
    }
    if (auto ok = if_match.check(integ->version, "the integration"); !ok) return ok;
    for (const auto& m : mappings) {
      auto org = tx.getOrganization(actor.scope(), m.org_id);
      if (!org) {
        if (org.error().isNotFound())
          return fail(Status::notFound().withDetail("organization " + m.org_id + " not found"));
        return fail(org.error());
      }
    }
    if (auto r = tx.replacePsaMappings(actor.scope(), kind, mappings); !r) return fail(r.error());
    auto ev = activityEvent(actor, "integration_mappings_update", "integration", kind,
                            {Change{"mappedOrganizations", "", std::to_string(mappings.size())}});
    if (auto a = tx.appendActivity(actor.scope(), ev); !a) return fail(a.error());
    return {};
  });
  if (!done) return fail(done.error());
  return this->mappings(actor, kind);
}

Result<store::SyncRunRecord> IntegrationService::queueSync(Actor actor, const std::string& kind) {
  if (auto k = checkKind(kind); !k) return fail(k.error());
  store::SyncRunRecord run;
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto integ = tx.getIntegration(actor.scope(), kind);
    if (!integ) {
      if (integ.error().isNotFound())
        return fail(Status::conflict(kind + " is not configured"));
      return fail(integ.error());
    }
    auto runs = tx.listSyncRuns(actor.scope(), kind, 5);
    if (!runs) return fail(runs.error());
    for (const auto& r : *runs) {
      if (r.status == "queued" && r.reason == "manual") {  // "sync now" twice: one run
        run = r;
        return {};
      }
    }
    run.kind = kind;
    run.reason = "manual";
    run.queued_at = run.next_attempt_at = app_.now();
    auto id = tx.queueSyncRun(actor.scope(), run);
    if (!id) return fail(id.error());
    run.id = *id;
    run.provider_id = actor.provider_id;
    auto ev = activityEvent(actor, "integration_sync_queued", "integration", kind);
    if (auto a = tx.appendActivity(actor.scope(), ev); !a) return fail(a.error());
    return {};
  });
  if (!done) return fail(done.error());
  return run;
}

Result<std::vector<store::SyncRunRecord>> IntegrationService::syncs(const Actor& actor, const std::string& kind,
                                                                       int limit) {
  if (auto k = checkKind(kind); !k) return fail(k.error());
  auto rows = app_.store().query([&](store::Tx& tx) { return tx.listSyncRuns(actor.scope(), kind, limit); });
  if (!rows) return fail(rows.error());
  return std::move(*rows);
}

Result<store::IntegrationRequestRecord> IntegrationService::request(Actor actor, const std::string& kind,
                                                                       const std::string& text) {
  if (kind != "integration" && kind != "beta") return fail(Status::invalidArgument("field `kind` must be integration or beta"));
  if (kind == "integration" && text.empty()) return fail(Status::invalidArgument("field `text` is required"));
  if (text.size() > kMaxRequestText) return fail(Status::invalidArgument("field `text` is too long"));
  store::IntegrationRequestRecord rec;
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto me = tx.getAdmin(actor.scope(), actor.admin_id);
    if (me) actor.email = me->email;
    rec.kind = kind;
    rec.text = text;
    rec.admin_id = actor.admin_id;
    rec.admin_email = actor.email;
    rec.created = app_.now();
    auto id = tx.addIntegrationRequest(actor.scope(), rec);
    if (!id) return fail(id.error());
    rec.id = *id;
    auto ev = activityEvent(actor, "integration_request", "integration_request", rec.id,
                            {Change{"kind", "", kind}, Change{"text", "", text}});
    if (auto a = tx.appendActivity(actor.scope(), ev); !a) return fail(a.error());
    return {};
  });
  if (!done) return fail(done.error());
  return rec;
}

}  // namespace mtp::app
