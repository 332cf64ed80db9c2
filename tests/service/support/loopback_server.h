// A TCP server on 127.0.0.1 (port 0: the kernel picks one) for the test fakes that speak a
// protocol to mtpd (the SMTP sink, the fake PSA): it accepts one connection at a time on its own
// thread, hands it to `session(fd)` with a 5 s receive timeout and closes it afterwards. And the
// two socket helpers every session needs.
// Thread-safety: port(), stopping() and connections() from any thread; stop() from the owner
// (also the destructor). Declare it as the owner's last member, so that it starts after and
// stops before everything its session uses.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace mtp::testing {

class LoopbackServer {
 public:
  // Binds and starts serving; aborts the test binary (naming `what`) if it cannot bind.
  LoopbackServer(const char* what, std::function<void(int fd)> session);
  ~LoopbackServer();  // stop()
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const { return port_; }
  // True once stop() began: a session in a loop should end.
  bool stopping() const { return stopping_.load(); }
  // Connections accepted so far.
  int connections() const { return connections_.load(); }
  // Stops accepting, waits for the session being served, closes the socket.
  void stop();

 private:
  void serve();

  std::function<void(int)> session_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// Sends all of `s`; false when the peer is gone.
bool sendAll(int fd, const std::string& s);
// Appends what the next recv() gives to `buf`; false on end of stream, error, the receive
// timeout, or once `buf` holds more than 1 MiB.
bool recvMore(int fd, std::string& buf);

}  // namespace mtp::testing
