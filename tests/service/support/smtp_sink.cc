#include "smtp_sink.h"

#include <cctype>


namespace mtp::testing {
namespace {

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
    if (!recvMore(fd, buf)) return false;
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

SmtpSink::SmtpSink() = default;

SmtpSink::~SmtpSink() { stop(); }

void SmtpSink::stop() { server_.stop(); }

std::vector<SmtpSink::Message> SmtpSink::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

bool SmtpSink::waitFor(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
}

void SmtpSink::session(int fd) {
  std::string buf, line;
  if (!sendAll(fd, "220 sink.test ESMTP\r\n")) return;
  Message m;
  while (!server_.stopping() && readLine(fd, buf, line)) {
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
