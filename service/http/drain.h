// Issue 11 item 3: draining on SIGTERM. A server that stops must answer every request it has
// already taken: stop accepting connections, wait until no request is between its arrival and
// the end of writing its answer (bounded), and only then stop the Pistache endpoint (whose
// shutdown stops the reactor that writes queued answers: STACK.md).
//
// InFlight counts requests from onRequest until their answer is queued on the connection;
// the reactor writes it right after, within the quiet period of waitIdle().
// stopAccepting() closes the listening socket of a port: new connections are refused while
// the connections already accepted keep being served.
// Thread-safety: InFlight from any thread; stopAccepting from the controlling thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace mtp::http {

class InFlight {
 public:
  void begin() { n_.fetch_add(1, std::memory_order_relaxed); }
  void end() { n_.fetch_sub(1, std::memory_order_relaxed); }
  int count() const { return n_.load(std::memory_order_relaxed); }

  // Waits until no request has been in flight for `quiet` (requests whose bytes were already
  // on an accepted connection arrive within it), or until `limit` has passed. Returns the
  // number still in flight (0: every answer written).
  int waitIdle(std::chrono::milliseconds limit,
               std::chrono::milliseconds quiet = std::chrono::milliseconds(200)) const;

 private:
  std::atomic<int> n_{0};
};

// Closes the listening TCP socket bound to `port` in this process (replacing its descriptor
// with an unbound socket, so that the acceptor's poll simply never fires again and the
// endpoint's own close at shutdown stays valid). Returns false when none was found.
bool stopAccepting(std::uint16_t port);

}  // namespace mtp::http
