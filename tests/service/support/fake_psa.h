// A fake PSA on 127.0.0.1 port 0 for tests (issue 12 item 1), speaking the REST shapes MTP's
// clients use of ConnectWise Manage (v4_6_release/apis/3.0) and Autotask
// (atservicesrest/v1.0). It checks every request — method, path, authentication headers and
// body — and records each; a request that breaks the shape is answered 400/401/404 and noted
// in violations(). It can be told to fail (an HTTP status for the next N requests) or to answer
// slowly (to test timeouts).
//
// Thread-safety: every method is safe from any thread; one connection is served at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loopback_server.h"

namespace mtp::testing {

class FakePsa {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // names lowercased
    std::string body;
    int status = 0;  // what the fake answered
  };
  // The credentials a request must carry. ConnectWise: company_id, public_key (username),
  // private_key (secret), client_id. Autotask: integration_code, username, secret.
  struct Credentials {
    std::string company_id;
    std::string client_id;
    std::string integration_code;
    std::string username;
    std::string secret;
  };

  explicit FakePsa(std::string kind, Credentials creds);  // binds and serves; aborts on failure
  ~FakePsa();

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

  // The next `n` requests answer `status` (after their checks).
  void failNext(int n, int status = 500) {
    fail_status_ = status;
    fail_left_ = n;
  }
  // Every answer waits this long first.
  void delay(std::chrono::milliseconds d) { delay_ms_ = static_cast<int>(d.count()); }
  // Autotask: the units a contract service has now (ContractServiceUnits/query answers them;
  // an adjustment adds its unitChange).
  void setUnits(long long service_id, long long units);
  long long units(long long service_id) const;

  std::vector<Request> requests() const;
  std::vector<std::string> violations() const;
  // Waits until at least `n` requests (answered 2xx) have `path` containing `fragment`.
  bool waitFor(const std::string& fragment, std::size_t n, std::chrono::milliseconds timeout) const;
  std::size_t count(const std::string& fragment, bool ok_only = true) const;

  void stop();

 private:
  void session(int fd);
  // The answer (status, body) to one request; notes any violation.
  std::pair<int, std::string> answer(const Request& r);
  std::pair<int, std::string> connectwise(const Request& r);
  std::pair<int, std::string> autotask(const Request& r);
  std::pair<int, std::string> violation(int status, const std::string& what);

  std::string kind_;
  Credentials creds_;
  std::atomic<int> fail_left_{0};
  std::atomic<int> fail_status_{500};
  std::atomic<int> delay_ms_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Request> requests_;
  std::vector<std::string> violations_;
  std::map<long long, long long> units_;
  long long next_id_ = 1000;
  LoopbackServer server_{"FakePsa", [this](int fd) { session(fd); }};  // last: starts after the rest
};

}  // namespace mtp::testing
