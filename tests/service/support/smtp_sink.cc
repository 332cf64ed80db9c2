#include "smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mtp::testing {
namespace {

bool sendAll(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one CRLF (or LF) terminated line into `line` (without the terminator).
bool readLine(int fd, std::string& buf, std::string& line) {
  for (;;) {
    const auto nl = buf.find('\n');
    if (nl != std::string::npos) {
      line = buf.substr(0, nl);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      buf.erase(0, nl + 1);
      return true;
    }
    if (buf.size() > 1 << 20) return false;
    char tmp[4096];
    const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string address(const std::string& arg) {
  const auto lt = arg.find('<');
  const auto gt = arg.find('>', lt == std::string::npos ? 0 : lt);
  if (lt == std::string::npos || gt == std::string::npos) return arg;
  return arg.substr(lt + 1, gt - lt - 1);
}

}  // namespace

SmtpSink::SmtpSink() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    std::perror("SmtpSink: bind");
    std::abort();
  }
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { serve(); });
}

SmtpSink::~SmtpSink() { stop(); }

void SmtpSink::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

std::vector<SmtpSink::Message> SmtpSink::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

bool SmtpSink::waitFor(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
}

void SmtpSink::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    session(fd);
    ::close(fd);
  }
}

void SmtpSink::session(int fd) {
  std::string buf, line;
  if (!sendAll(fd, "220 sink.test ESMTP\r\n")) return;
  Message m;
  while (!stopping_ && readLine(fd, buf, line)) {
    const std::string verb = upper(line.substr(0, 4));
    std::string reply;
    if (verb == "EHLO") {
      reply = "250-sink.test\r\n250 8BITMIME\r\n";
    } else if (verb == "HELO") {
      reply = "250 sink.test\r\n";
    } else if (verb == "MAIL") {
      if (const int code = reject_.load(); code != 0) {
        reply = std::to_string(code) + " try again later\r\n";
      } else {
        m = Message{};
        m.from = address(line);
        reply = "250 OK\r\n";
      }
    } else if (verb == "RCPT") {
      m.to.push_back(address(line));
      reply = "250 OK\r\n";
    } else if (verb == "DATA") {
      if (!sendAll(fd, "354 end with .\r\n")) return;
      std::string data;
      for (;;) {
        if (!readLine(fd, buf, line)) return;
        if (line == ".") break;
        if (!line.empty() && line[0] == '.') line.erase(0, 1);
        data += line + "\r\n";
      }
      m.data = std::move(data);
      {
        std::lock_guard lock(mu_);
        messages_.push_back(m);
      }
      cv_.notify_all();
      reply = "250 queued\r\n";
    } else if (verb == "RSET") {
      m = Message{};
      reply = "250 OK\r\n";
    } else if (verb == "NOOP") {
      reply = "250 OK\r\n";
    } else if (verb == "QUIT") {
      sendAll(fd, "221 bye\r\n");
      return;
    } else {
      reply = "502 not implemented\r\n";
    }
    if (!sendAll(fd, reply)) return;
  }
}

}  // namespace mtp::testing
