// ConnectWise Manage REST (v4_6_release/apis/3.0): see psa/psa_client.h.
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "psa/clients.h"
#include "psa/http_transport.h"

namespace mtp::psa::detail {

namespace {

using nlohmann::json;

std::string base64(const std::string& s) {
  std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool ok(long status) { return status >= 200 && status < 300; }

class ConnectWiseClient final : public PsaClient {
 public:
  ConnectWiseClient(const Connection& c, Transport t)
      : base_(trimSlash(c.site_url) + "/v4_6_release/apis/3.0"), transport_(t) {
    headers_ = {{"Authorization", "Basic " + base64(c.company_id + "+" + c.username + ":" + c.secret)},
                {"clientId", c.integration_code},
                {"Accept", "application/json"},
                {"Content-Type", "application/json"}};
  }

  PsaResult testConnection() override {
    auto r = sendHttp("GET", base_ + "/system/info", headers_, "", transport_);
    if (!r) return std::unexpected(r.error());
    if (!ok(r->status)) return std::unexpected(replyError("connection test", *r));
    return {};
  }

  PsaResult writeUsage(const UsageLine& line) override {
    if (line.agreement_id.empty() || line.service_id.empty()) {
      return std::unexpected("mapping has no agreement or addition id");
    }
    // JSON Patch on the agreement addition: the month's user count and the per-user price.
    const json patch = json::array({
        {{"op", "replace"}, {"path", "quantity"}, {"value", line.users}},
        {{"op", "replace"}, {"path", "unitPrice"}, {"value", static_cast<double>(line.price_per_user_cents) / 100.0}},
    });
    auto r = sendHttp("PATCH", base_ + "/finance/agreements/" + line.agreement_id + "/additions/" + line.service_id,
                      headers_, patch.dump(), transport_);
    if (!r) return std::unexpected(r.error());
    if (!ok(r->status)) return std::unexpected(replyError("agreement addition " + line.service_id, *r));
    return {};
  }

  std::expected<std::string, std::string> openTicket(const TicketRequest& t) override {
    const json body = {{"summary", t.title.substr(0, 100)},
                       {"initialDescription", t.description},
                       {"company", {{"id", std::stoll(t.psa_company_id)}}}};
    auto r = sendHttp("POST", base_ + "/service/tickets", headers_, body.dump(), transport_);
    if (!r) return std::unexpected(r.error());
    if (!ok(r->status)) return std::unexpected(replyError("ticket", *r));
    const json reply = json::parse(r->body, nullptr, false);
    if (!reply.is_object() || !reply.contains("id")) return std::unexpected("ticket: PSA answered no id");
    return reply["id"].is_string() ? reply["id"].get<std::string>() : reply["id"].dump();
  }

 private:
  std::string base_;
  Transport transport_;
  HeaderList headers_;
};

}  // namespace

std::unique_ptr<PsaClient> makeConnectWise(const Connection& c, Transport t) {
  return std::make_unique<ConnectWiseClient>(c, t);
}

}  // namespace mtp::psa::detail
