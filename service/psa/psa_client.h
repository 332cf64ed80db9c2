// The PSA products MTP writes billing and tickets to (issue 12 item 1), behind one interface
// the use cases call: a connection test, the month's billable users and per-user price of one
// mapped org, and a ticket on an org's PSA company.
//
//   ConnectWise Manage  {site}/v4_6_release/apis/3.0/..., Basic auth
//                       `{companyId}+{publicKey}:{privateKey}` and a `clientId` header.
//                       Usage: PATCH finance/agreements/{agreementId}/additions/{additionId}
//                       (JSON Patch: quantity, unitPrice). Tickets: POST service/tickets.
//   Autotask            {zone}/atservicesrest/v1.0/..., headers ApiIntegrationCode, UserName,
//                       Secret. Usage: the contract service's units this month
//                       (POST ContractServiceUnits/query), then POST ContractServiceAdjustments
//                       with the change (unitChange) and the per-user price. Tickets: POST Tickets.
//
// Thread-safety: a client is used by one thread at a time; make one per sync.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <string>

namespace mtp::psa {

// What one configured integration connects with (the secret already opened).
struct Connection {
  std::string kind;  // connectwise | autotask
  std::string site_url;  // https://na.myconnectwise.net, https://webservices5.autotask.net
  std::string company_id;
  std::string integration_code;  // ConnectWise clientId; Autotask ApiIntegrationCode
  std::string username;          // ConnectWise public key; Autotask UserName
  std::string secret;            // ConnectWise private key; Autotask Secret
};

// Where a PSA request may connect. The PSAs are public SaaS, so by default an address that is
// not public (loopback, private, link-local such as a cloud metadata service, carrier-grade NAT,
// multicast, reserved) is refused when the connection is made, whatever name resolved to it:
// an admin who types a site URL must not make mtpd call its own network (SSRF). kAnyAddress is
// for an on-premises PSA (mtpd --psa-allow-private-networks) and the tests' loopback fake.
enum class Reach { kPublicOnly, kAnyAddress };

struct Transport {
  std::chrono::milliseconds connect{5000};
  std::chrono::milliseconds total{20000};
  Reach reach = Reach::kPublicOnly;
};

// One mapped org's usage line for the month.
struct UsageLine {
  std::string psa_company_id;
  std::string agreement_id;  // ConnectWise agreement; Autotask contract
  std::string service_id;    // ConnectWise addition; Autotask contract service
  std::int64_t users = 0;    // the month's billable-user high-water mark
  std::int64_t price_per_user_cents = 0;
  std::string effective_date;  // YYYY-MM-DD (UTC today)
};

struct TicketRequest {
  std::string psa_company_id;
  std::string title;
  std::string description;
};

// Errors are one line for the sync outcome: never a credential in them.
using PsaResult = std::expected<void, std::string>;

class PsaClient {
 public:
  virtual ~PsaClient() = default;
  virtual PsaResult testConnection() = 0;
  virtual PsaResult writeUsage(const UsageLine& line) = 0;
  // Returns the PSA's ticket id.
  virtual std::expected<std::string, std::string> openTicket(const TicketRequest& ticket) = 0;
};

// The real clients (error for an unknown kind).
std::expected<std::unique_ptr<PsaClient>, std::string> makeClient(const Connection& c, Transport t = {});

// How the use cases get a client; tests may hand their own.
using ClientFactory =
    std::function<std::expected<std::unique_ptr<PsaClient>, std::string>(const Connection&)>;
ClientFactory defaultClientFactory(Transport t = {});

}  // namespace mtp::psa
