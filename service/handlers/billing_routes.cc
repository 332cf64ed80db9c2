// Billing and usage (provider-scoped; the engine's provider_mismatch makes another provider's
// {pid} a 404, and an invoice of another provider is not found in the scope's rows).
//   GET /api/v2/providers/{pid}/billing/usage                billing.read
//       {currentUsers, devices, lastMonthHwm, currentHwm, userCap,
//        organizations:[{id, name, currentUsers, devices, usersLastMonth}]}
//   GET /api/v2/providers/{pid}/invoices                     billing.read  {results, totalCount}
//   GET /api/v2/providers/{pid}/invoices/{id}                billing.read  invoice + payments
//   POST /api/v2/providers/{pid}/invoices/{id}/payments      billing.update
//       {amountCents, reference?} → 201 the invoice (event invoice_payment)
//   GET /api/v2/providers/{pid}/billing/information          billing.read
//   PUT /api/v2/providers/{pid}/billing/information          billing.update (strict body; event
//       billing_information_update); GET and PUT answer `ETag: "<version>"` ("0" before the
//       first PUT), a PUT with a stale If-Match answers 412 (issue 11)
// Money is integer cents: billed, paid and owed (= billed - paid).
#include <charconv>
#include <string>

#include <nlohmann/json.hpp>

#include "app/activity_service.h"
#include "app/billing_service.h"
#include "handlers/actor.h"
#include "handlers/etag.h"
#include "http/errors.h"
#include "handlers/routes.h"
#include "http/json_body.h"
#include "http/query.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxInfoField = 200;

json invoiceJson(const model::InvoiceRecord& i) {
  return json{{"id", i.id},
              {"number", i.number},
              {"period", i.period},
              {"issued", app::formatRfc3339(i.issued)},
              {"dueDate", app::formatRfc3339(i.due_date)},
              {"status", std::string(model::invoiceStatusText(i.status))},
              {"users", i.users},
              {"pricePerUserCents", i.price_per_user_cents},
              {"currency", i.currency},
              {"billed", i.billed_cents},
              {"paid", i.paid_cents},
              {"owed", i.billed_cents - i.paid_cents}};
}

json detailJson(const app::InvoiceDetail& d) {
  json j = invoiceJson(d.invoice);
  json pays = json::array();
  for (const auto& p : d.payments) {
    pays.push_back({{"id", p.id},
                    {"amountCents", p.amount_cents},
                    {"at", app::formatRfc3339(p.at)},
                    {"reference", p.reference}});
  }
  j["payments"] = std::move(pays);
  return j;
}

json informationJson(const app::BillingInformation& b) {
  const auto& r = b.record;
  json j{{"name", r.name},         {"addressLine1", r.address_line1},
         {"addressLine2", r.address_line2}, {"city", r.city},
         {"state", r.state},       {"postalCode", r.postal_code},
         {"country", r.country},   {"email", r.email},
         {"stored", b.stored},      {"version", b.stored ? r.version : 0}};
  j["updated"] = b.stored ? json(app::formatRfc3339(r.updated)) : json(nullptr);
  return j;
}

HandlerResult usage(app::BillingService& svc, RequestContext& ctx) {
  int days = app::kUsageDaysDefault;
  if (auto v = ctx.queryParam("days")) {
    const auto* end = v->data() + v->size();
    auto [p, ec] = std::from_chars(v->data(), end, days);
    if (ec != std::errc{} || p != end || days < 1 || days > app::kUsageDaysMax)
      return std::unexpected(Status::invalidArgument("days must be an integer from 1 to " +
                                                          std::to_string(app::kUsageDaysMax)));
  }
  auto u = svc.usage(actorOf(ctx), days);
  if (!u) return fail(u.error());
  json daily = json::array();
  for (const auto& d : u->daily) {
    daily.push_back({{"date", app::formatRfc3339(d.day * 86400).substr(0, 10)},
                     {"users", d.users},
                     {"devices", d.devices}});
  }
  json monthly = json::array();
  for (const auto& m : u->monthly) monthly.push_back({{"month", app::monthText(m.month)}, {"hwm", m.users}});
  json orgs = json::array();
  for (const auto& o : u->organizations) {
    orgs.push_back({{"id", o.org_id},
                    {"name", o.name},
                    {"currentUsers", o.current_users},
                    {"devices", o.current_devices},
                    {"usersLastMonth", o.max_users_in_range}});
  }
  return Response::json({{"currentUsers", u->current_users},
                         {"devices", u->devices},
                         {"lastMonthHwm", u->last_month_hwm},
                         {"currentHwm", u->current_hwm},
                         {"userCap", u->user_cap ? json(*u->user_cap) : json(nullptr)},
                         {"organizations", std::move(orgs)},
                         {"daily", std::move(daily)},
                         {"monthly", std::move(monthly)}});
}

HandlerResult listInvoices(app::BillingService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), http::ListSpec{});
  if (!q) return std::unexpected(q.error());
  auto all = svc.invoices(actorOf(ctx));
  if (!all) return fail(all.error());
  json results = json::array();
  const auto total = static_cast<std::int64_t>(all->size());
  for (std::int64_t i = q->skip; i < total && i < q->skip + q->limit; ++i) {
    results.push_back(invoiceJson((*all)[static_cast<std::size_t>(i)]));
  }
  return Response::json({{"results", std::move(results)}, {"totalCount", total}});
}

HandlerResult getInvoice(app::BillingService& svc, RequestContext& ctx) {
  auto d = svc.invoice(actorOf(ctx), std::string(ctx.param("id")));
  if (!d) return fail(d.error());
  return Response::json(detailJson(*d));
}

HandlerResult pay(app::BillingService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"amountCents", "reference"});
  if (!body) return std::unexpected(body.error());
  auto amount = body->optionalInt("amountCents", 1, INT64_MAX / 4);
  if (!amount) return std::unexpected(amount.error());
  if (!*amount) return std::unexpected(Status::invalidArgument("amountCents is required"));
  auto ref = body->optionalString("reference");
  if (!ref) return std::unexpected(ref.error());
  const std::string reference = ref->value_or("");
  if (reference.size() > kMaxInfoField) {
    return std::unexpected(Status::invalidArgument("reference is too long"));
  }
  auto d = svc.pay(actorOf(ctx), std::string(ctx.param("id")), **amount, reference);
  if (!d) return fail(d.error());
  return Response::json(detailJson(*d), 201);
}

HandlerResult getInformation(app::BillingService& svc, RequestContext& ctx) {
  auto b = svc.information(actorOf(ctx));
  if (!b) return fail(b.error());
  return withEtag(Response::json(informationJson(*b)), b->stored ? b->record.version : 0);
}

HandlerResult putInformation(app::BillingService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"name", "addressLine1", "addressLine2", "city", "state",
                                          "postalCode", "country", "email"});
  if (!body) return std::unexpected(body.error());
  model::BillingInformationRecord in;
  struct Field {
    const char* name;
    std::string* out;
  } fields[] = {{"name", &in.name},         {"addressLine1", &in.address_line1},
                {"addressLine2", &in.address_line2}, {"city", &in.city},
                {"state", &in.state},       {"postalCode", &in.postal_code},
                {"country", &in.country},   {"email", &in.email}};
  for (const auto& f : fields) {
    auto v = body->optionalString(f.name);
    if (!v) return std::unexpected(v.error());
    *f.out = v->value_or("");
    if (f.out->size() > kMaxInfoField) {
      return std::unexpected(Status::invalidArgument(std::string(f.name) + " is too long"));
    }
  }
  if (!in.email.empty() && in.email.find('@') == std::string::npos) {
    return std::unexpected(Status::invalidArgument("email is not an email address"));
  }
  auto b = svc.putInformation(actorOf(ctx), in, ifMatchOf(ctx));
  if (!b) return fail(b.error());
  return withEtag(Response::json(informationJson(*b)), b->record.version);
}

}  // namespace

void addBillingRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  auto svc = std::make_shared<app::BillingService>(app);
  const std::string base = "/api/v2/providers/{pid}";
  auto route = [&](const char* method, std::string path, const char* action,
                   HandlerResult (*fn)(app::BillingService&, RequestContext&)) {
    out.push_back(http::Route{method, base + path, http::Access::action(action),
                              http::OrgSource::none(),
                              [svc, fn](RequestContext& ctx) { return fn(*svc, ctx); }});
  };
  route("GET", "/billing/usage", "billing.read", usage);
  route("GET", "/invoices", "billing.read", listInvoices);
  route("GET", "/invoices/{id}", "billing.read", getInvoice);
  route("POST", "/invoices/{id}/payments", "billing.update", pay);
  route("GET", "/billing/information", "billing.read", getInformation);
  route("PUT", "/billing/information", "billing.update", putInformation);
}

}  // namespace mtp::handlers
