// Autotask REST (atservicesrest/v1.0): see psa/psa_client.h.
#include <nlohmann/json.hpp>

#include <optional>

#include "psa/clients.h"
#include "psa/http_transport.h"

namespace mtp::psa::detail {

namespace {

using nlohmann::json;

bool ok(long status) { return status >= 200 && status < 300; }

// An Autotask id is an integer; a mapping's text that is not one is refused before any call.
std::optional<long long> idOf(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(s);
}

class AutotaskClient final : public PsaClient {
 public:
  AutotaskClient(const Connection& c, Transport t) : base_(trimSlash(c.site_url) + "/atservicesrest/v1.0"), transport_(t) {
    headers_ = {{"ApiIntegrationCode", c.integration_code},
                {"UserName", c.username},
                {"Secret", c.secret},
                {"Accept", "application/json"},
                {"Content-Type", "application/json"}};
  }

  PsaResult testConnection() override {
    auto r = sendHttp("GET", base_ + "/ThresholdInformation", headers_, "", transport_);
    if (!r) return std::unexpected(r.error());
    if (!ok(r->status)) return std::unexpected(replyError("connection test", *r));
    return {};
  }

  PsaResult writeUsage(const UsageLine& line) override {
    const auto contract = idOf(line.agreement_id);
    const auto service = idOf(line.service_id);
    if (!contract || !service) return std::unexpected("mapping needs a numeric contract id and contract service id");
    // The units the contract service has in the period that holds today...
    const json query = {{"filter", json::array({{{"op", "eq"}, {"field", "contractServiceID"}, {"value", *service}},
                                                {{"op", "lte"}, {"field", "startDate"}, {"value", line.effective_date}},
                                                {{"op", "gte"}, {"field", "endDate"}, {"value", line.effective_date}}})}};
    auto units = sendHttp("POST", base_ + "/ContractServiceUnits/query", headers_, query.dump(), transport_);
    if (!units) return std::unexpected(units.error());
    if (!ok(units->status)) return std::unexpected(replyError("contract service units " + line.service_id, *units));
    const json found = json::parse(units->body, nullptr, false);
    long long current = 0;
    if (found.is_object() && found.contains("items") && found["items"].is_array() && !found["items"].empty() &&
        found["items"][0].contains("units") && found["items"][0]["units"].is_number()) {
      current = found["items"][0]["units"].get<long long>();
    }
    // ...then one adjustment to the high-water mark at the per-user price.
    const json adjustment = {{"contractID", *contract},
                             {"contractServiceID", *service},
                             {"effectiveDate", line.effective_date},
                             {"unitChange", line.users - current},
                             {"adjustedUnitPrice", static_cast<double>(line.price_per_user_cents) / 100.0}};
    auto r = sendHttp("POST", base_ + "/ContractServiceAdjustments", headers_, adjustment.dump(), transport_);
    if (!r) return std::unexpected(r.error());
    if (!ok(r->status)) return std::unexpected(replyError("contract service adjustment " + line.service_id, *r));
    return {};
  }

  std::expected<std::string, std::string> openTicket(const TicketRequest& t) override {
    const auto company = idOf(t.psa_company_id);
    if (!company) return std::unexpected("mapping needs a numeric company id");
    // status 1 = New, priority 2 = Medium (Autotask's default picklist values).
    const json body = {{"companyID", *company},
                       {"title", t.title.substr(0, 255)},
                       {"description", t.description},
                       {"status", 1},
                       {"priority", 2}};
    auto r = sendHttp("POST", base_ + "/Tickets", headers_, body.dump(), transport_);
    if (!r) return std::unexpected(r.error());
    if (!ok(r->status)) return std::unexpected(replyError("ticket", *r));
    const json reply = json::parse(r->body, nullptr, false);
    if (!reply.is_object() || !reply.contains("itemId")) return std::unexpected("ticket: PSA answered no itemId");
    return reply["itemId"].dump();
  }

 private:
  std::string base_;
  Transport transport_;
  HeaderList headers_;
};

}  // namespace

std::unique_ptr<PsaClient> makeAutotask(const Connection& c, Transport t) {
  return std::make_unique<AutotaskClient>(c, t);
}

}  // namespace mtp::psa::detail
