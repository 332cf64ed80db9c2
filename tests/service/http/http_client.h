// A small blocking HTTP/1.1 client over POSIX sockets, for tests that speak real HTTP to a
// server on loopback.
//
//   mtp::test::HttpClient c(port);
//   auto r = c.request("GET", "/healthz");
//   EXPECT_EQ(r.status, 200);
//   auto j = nlohmann::json::parse(r.body);
//
// One connection per request unless keep_alive is set (then the connection is reused while
// the server keeps it open). sendRaw() writes bytes as given and reads one response, for
// malformed requests. Header names in responses are lowercased.
// Thread-safety: one HttpClient per thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mtp::test {

struct HttpResponse {
  int status = 0;  // 0: no response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1", bool keep_alive = false,
                      int timeout_ms = 10000)
      : port_(port), host_(std::move(host)), keep_alive_(keep_alive), timeout_ms_(timeout_ms) {}
  ~HttpClient() { closeConn(); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse request(const std::string& method, const std::string& path,
                       const Headers& headers = {}, const std::string& body = "") {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: " + host_ + "\r\n";
    for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += keep_alive_ ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    req += "\r\n";
    req += body;
    auto r = sendRaw(req, method == "HEAD");
    if (r.status == 0 && keep_alive_ && reused_) {
      // The server closed an idle keep-alive connection: retry once on a new one.
      closeConn();
      r = sendRaw(req, method == "HEAD");
    }
    return r;
  }

  // Convenience: JSON body with Content-Type application/json.
  HttpResponse json(const std::string& method, const std::string& path, const std::string& body,
                    Headers headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return request(method, path, headers, body);
  }

  // Writes `raw` as is and reads one response.
  HttpResponse sendRaw(const std::string& raw, bool head = false) {
    reused_ = fd_ >= 0;
    if (fd_ < 0) connectNow();
    HttpResponse resp;
    if (!writeAll(raw)) {
      closeConn();
      return resp;
    }
    resp = readResponse(head);
    bool server_closes = lower(resp.header("connection")) == "close";
    if (!keep_alive_ || server_closes || resp.status == 0) closeConn();
    return resp;
  }

 private:
  static std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  void connectNow() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    timeval tv{timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    ::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      closeConn();
      throw std::runtime_error("connect to port " + std::to_string(port_) + " failed");
    }
  }

  void closeConn() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buf_.clear();
  }

  bool writeAll(const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads more into buf_; false on EOF, error or timeout.
  bool fill() {
    char tmp[16384];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }

  HttpResponse readResponse(bool head) {
    HttpResponse r;
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return r;
    }
    std::string head_text = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    std::size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    auto sp = status_line.find(' ');
    if (sp == std::string::npos) return r;
    r.status = std::atoi(status_line.c_str() + sp + 1);
    std::size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
    while (pos < head_text.size()) {
      std::size_t e = head_text.find("\r\n", pos);
      if (e == std::string::npos) e = head_text.size();
      std::string line = head_text.substr(pos, e - pos);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string v = line.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        std::string k = lower(line.substr(0, colon));
        if (r.headers.count(k)) r.headers[k] += ", " + v;
        else r.headers[k] = v;
      }
      pos = e + 2;
    }
    if (head || r.status == 204 || r.status == 304) return r;
    if (lower(r.header("transfer-encoding")).find("chunked") != std::string::npos) {
      while (true) {
        std::size_t le;
        while ((le = buf_.find("\r\n")) == std::string::npos) {
          if (!fill()) return r;
        }
        std::size_t size = std::stoul(buf_.substr(0, le), nullptr, 16);
        buf_.erase(0, le + 2);
        while (buf_.size() < size + 2) {
          if (!fill()) return r;
        }
        r.body += buf_.substr(0, size);
        buf_.erase(0, size + 2);
        if (size == 0) break;
      }
      return r;
    }
    std::string cl = r.header("content-length");
    if (!cl.empty()) {
      std::size_t len = std::stoul(cl);
      while (buf_.size() < len) {
        if (!fill()) break;
      }
      r.body = buf_.substr(0, std::min(len, buf_.size()));
      buf_.erase(0, r.body.size());
    } else {
      while (fill()) {
      }
      r.body = std::move(buf_);
      buf_.clear();
    }
    return r;
  }

  std::uint16_t port_;
  std::string host_;
  bool keep_alive_;
  int timeout_ms_;
  int fd_ = -1;
  bool reused_ = false;
  std::string buf_;
};

}  // namespace mtp::test
