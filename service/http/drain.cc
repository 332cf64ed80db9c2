#include "http/drain.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace mtp::http {

int InFlight::waitIdle(std::chrono::milliseconds limit, std::chrono::milliseconds quiet) const {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + limit;
  auto idle_since = clock::now();
  for (;;) {
    const auto now = clock::now();
    if (count() > 0) idle_since = now;
    else if (now - idle_since >= quiet) return 0;
    if (now >= deadline) return count();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

namespace {

std::vector<int> openDescriptors() {
  std::vector<int> fds;
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return fds;
  const int own = ::dirfd(d);
  while (dirent* e = ::readdir(d)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (end != e->d_name && *end == '\0' && fd != own) fds.push_back(static_cast<int>(fd));
  }
  ::closedir(d);
  return fds;
}

bool isListeningOn(int fd, std::uint16_t port) {
  int accepting = 0;
  socklen_t len = sizeof accepting;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 || !accepting) return false;
  sockaddr_storage addr{};
  socklen_t alen = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) return false;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port) == port;
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port) == port;
  return false;
}

}  // namespace

bool stopAccepting(std::uint16_t port) {
  bool found = false;
  for (int fd : openDescriptors()) {
    if (!isListeningOn(fd, port)) continue;
    // dup3 closes the listening socket (the kernel refuses new connections and drops it from
    // the acceptor's epoll set) and leaves a harmless socket under the same number.
    const int placeholder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (placeholder < 0) continue;
    if (::dup3(placeholder, fd, O_CLOEXEC) >= 0) found = true;
    ::close(placeholder);
  }
  return found;
}

}  // namespace mtp::http
