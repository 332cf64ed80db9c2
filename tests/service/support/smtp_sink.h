// A tiny SMTP server for tests: listens on 127.0.0.1 port 0, speaks just enough SMTP for a
// client to deliver (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps each message.
// It can refuse mail with a chosen reply code, to test retries.
// Thread-safety: every method is safe from any thread; one connection is served at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "loopback_server.h"

namespace mtp::testing {

class SmtpSink {
 public:
  struct Message {
    std::string from;             // MAIL FROM address, without <>
    std::vector<std::string> to;  // RCPT TO addresses
    std::string data;             // DATA, dot-unstuffed, CRLF line ends, without the final "."
  };

  SmtpSink();   // binds and starts serving; aborts the test binary if it cannot bind
  ~SmtpSink();  // stop()

  std::uint16_t port() const { return server_.port(); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }

  // 0: accept mail; else the reply code (e.g. 451) for MAIL FROM.
  void rejectWith(int code) { reject_ = code; }

  std::vector<Message> messages() const;
  // Waits until at least `n` messages arrived; false on timeout.
  bool waitFor(std::size_t n, std::chrono::milliseconds timeout) const;
  // Connections accepted so far (delivery attempts).
  int connections() const { return server_.connections(); }

  void stop();

 private:
  void session(int fd);

  std::atomic<int> reject_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Message> messages_;
  LoopbackServer server_{"SmtpSink", [this](int fd) { session(fd); }};  // last: starts after the rest
};

}  // namespace mtp::testing
