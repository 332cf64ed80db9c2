#include "fake_psa.h"

#include <sodium.h>

#include <regex>

namespace mtp::testing {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string base64(const std::string& s) {
  std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    default: return "Error";
  }
}

}  // namespace

FakePsa::FakePsa(std::string kind, Credentials creds) : kind_(std::move(kind)), creds_(std::move(creds)) {}

FakePsa::~FakePsa() { stop(); }

void FakePsa::stop() { server_.stop(); }

void FakePsa::setUnits(long long service_id, long long units) {
  std::lock_guard lock(mu_);
  units_[service_id] = units;
}

long long FakePsa::units(long long service_id) const {
  std::lock_guard lock(mu_);
  auto it = units_.find(service_id);
  return it == units_.end() ? 0 : it->second;
}

std::vector<FakePsa::Request> FakePsa::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<std::string> FakePsa::violations() const {
  std::lock_guard lock(mu_);
  return violations_;
}

std::size_t FakePsa::count(const std::string& fragment, bool ok_only) const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& r : requests_) {
    if (r.path.find(fragment) != std::string::npos && (!ok_only || (r.status >= 200 && r.status < 300))) ++n;
  }
  return n;
}

bool FakePsa::waitFor(const std::string& fragment, std::size_t n, std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (count(fragment) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return count(fragment) >= n;
}

void FakePsa::session(int fd) {
  std::string buf;
  std::size_t head_end = std::string::npos;
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (!recvMore(fd, buf)) return;
  }
  Request r;
  const std::string head = buf.substr(0, head_end);
  std::size_t line_end = head.find("\r\n");
  const std::string start = head.substr(0, line_end);
  const auto sp1 = start.find(' ');
  const auto sp2 = start.find(' ', sp1 + 1);
  r.method = start.substr(0, sp1);
  r.path = start.substr(sp1 + 1, sp2 - sp1 - 1);
  std::size_t at = line_end == std::string::npos ? head.size() : line_end + 2;
  while (at < head.size()) {
    auto e = head.find("\r\n", at);
    if (e == std::string::npos) e = head.size();
    const std::string line = head.substr(at, e - at);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      r.headers[lower(line.substr(0, colon))] = v;
    }
    at = e + 2;
  }
  std::size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) length = std::stoul(it->second);
  r.body = buf.substr(head_end + 4);
  while (r.body.size() < length) {
    if (!recvMore(fd, r.body)) return;
  }
  for (int waited = 0; waited < delay_ms_.load() && !server_.stopping(); waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto [status, body] = answer(r);
  if (fail_left_.load() > 0 && status < 400) {
    --fail_left_;
    status = fail_status_.load();
    body = R"({"message":"injected failure"})";
  }
  r.status = status;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
  }
  cv_.notify_all();
  sendAll(fd, "HTTP/1.1 " + std::to_string(status) + " " + reason(status) +
                  "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
}

std::pair<int, std::string> FakePsa::violation(int status, const std::string& what) {
  std::lock_guard lock(mu_);
  violations_.push_back(what);
  return {status, json{{"message", what}}.dump()};
}

std::pair<int, std::string> FakePsa::answer(const Request& r) {
  return kind_ == "connectwise" ? connectwise(r) : autotask(r);
}

std::pair<int, std::string> FakePsa::connectwise(const Request& r) {
  auto header = [&](const char* name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
  };
  const std::string want_auth = "Basic " + base64(creds_.company_id + "+" + creds_.username + ":" + creds_.secret);
  if (header("authorization") != want_auth) return violation(401, r.method + " " + r.path + ": bad Authorization");
  if (header("clientid") != creds_.client_id) return violation(401, r.method + " " + r.path + ": bad clientId");
  static const std::string base = "/v4_6_release/apis/3.0";
  if (!r.path.starts_with(base + "/")) return violation(404, "not under " + base + ": " + r.path);
  const std::string p = r.path.substr(base.size());
  static const std::regex addition(R"(^/finance/agreements/([0-9]+)/additions/([0-9]+)$)");
  std::smatch m;
  if (r.method == "GET" && p == "/system/info") return {200, R"({"version":"v2024.1","isCloud":true})"};
  if (r.method == "PATCH" && std::regex_match(p, m, addition)) {
    const json body = json::parse(r.body, nullptr, false);
    if (!body.is_array() || body.empty()) return violation(400, "PATCH addition: body is not a JSON Patch array");
    bool quantity = false;
    for (const auto& op : body) {
      if (!op.is_object() || op.value("op", "") != "replace" || !op.contains("path") || !op.contains("value") ||
          !op["value"].is_number())
        return violation(400, "PATCH addition: bad operation " + op.dump());
      const std::string path = op["path"].get<std::string>();
      if (path != "quantity" && path != "unitPrice") return violation(400, "PATCH addition: unexpected path " + path);
      quantity = quantity || path == "quantity";
    }
    if (!quantity) return violation(400, "PATCH addition: no quantity");
    return {200, json{{"id", std::stoll(m[2].str())}, {"agreementId", std::stoll(m[1].str())}}.dump()};
  }
  if (r.method == "POST" && p == "/service/tickets") {
    const json body = json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("summary") || !body["summary"].is_string() ||
        body["summary"].get<std::string>().empty() || body["summary"].get<std::string>().size() > 100 ||
        !body.contains("company") || !body["company"].contains("id") || !body["company"]["id"].is_number_integer())
      return violation(400, "POST ticket: needs summary (1..100) and company.id");
    std::lock_guard lock(mu_);
    return {201, json{{"id", ++next_id_}, {"summary", body["summary"]}}.dump()};
  }
  return violation(404, "no such ConnectWise route: " + r.method + " " + r.path);
}

std::pair<int, std::string> FakePsa::autotask(const Request& r) {
  auto header = [&](const char* name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
  };
  if (header("apiintegrationcode") != creds_.integration_code || header("username") != creds_.username ||
      header("secret") != creds_.secret)
    return violation(401, r.method + " " + r.path + ": bad ApiIntegrationCode/UserName/Secret");
  static const std::string base = "/atservicesrest/v1.0";
  if (!r.path.starts_with(base + "/")) return violation(404, "not under " + base + ": " + r.path);
  const std::string p = r.path.substr(base.size());
  if (r.method == "GET" && p == "/ThresholdInformation") return {200, R"({"externalRequestThreshold":10000,"currentTimeframeRequestCount":1})"};
  const json body = r.method == "POST" ? json::parse(r.body, nullptr, false) : json();
  if (r.method == "POST" && p == "/ContractServiceUnits/query") {
    if (!body.is_object() || !body.contains("filter") || !body["filter"].is_array())
      return violation(400, "units query: needs a filter array");
    long long service = -1;
    for (const auto& f : body["filter"]) {
      if (f.value("field", "") == "contractServiceID" && f.value("op", "") == "eq" && f["value"].is_number_integer())
        service = f["value"].get<long long>();
    }
    if (service < 0) return violation(400, "units query: no contractServiceID eq filter");
    std::lock_guard lock(mu_);
    return {200, json{{"items", json::array({{{"contractServiceID", service}, {"units", units_[service]}}})},
                      {"pageDetails", {{"count", 1}}}}
                     .dump()};
  }
  if (r.method == "POST" && p == "/ContractServiceAdjustments") {
    if (!body.is_object() || !body.contains("contractID") || !body["contractID"].is_number_integer() ||
        !body.contains("contractServiceID") || !body["contractServiceID"].is_number_integer() ||
        !body.contains("unitChange") || !body["unitChange"].is_number_integer() || !body.contains("effectiveDate") ||
        !body["effectiveDate"].is_string() || !body.contains("adjustedUnitPrice") || !body["adjustedUnitPrice"].is_number())
      return violation(400, "adjustment: needs contractID, contractServiceID, effectiveDate, unitChange, adjustedUnitPrice");
    std::lock_guard lock(mu_);
    units_[body["contractServiceID"].get<long long>()] += body["unitChange"].get<long long>();
    return {200, json{{"itemId", ++next_id_}}.dump()};
  }
  if (r.method == "POST" && p == "/Tickets") {
    if (!body.is_object() || !body.contains("companyID") || !body["companyID"].is_number_integer() ||
        !body.contains("title") || !body["title"].is_string() || !body.contains("status") || !body.contains("priority"))
      return violation(400, "ticket: needs companyID, title, status, priority");
    std::lock_guard lock(mu_);
    return {200, json{{"itemId", ++next_id_}}.dump()};
  }
  return violation(404, "no such Autotask route: " + r.method + " " + r.path);
}

}  // namespace mtp::testing
