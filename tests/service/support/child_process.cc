#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <stdexcept>

namespace mtp::testing {

using namespace std::chrono_literals;

ChildProcess::ChildProcess(std::vector<std::string> argv, std::vector<std::string> env) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  fd_ = fds[0];
  reader_ = std::thread([this] {
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(mu_);
      out_.append(buf, static_cast<std::size_t>(n));
    }
  });
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (reader_.joinable()) reader_.join();
  if (fd_ >= 0) ::close(fd_);
}

std::string ChildProcess::output() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string ChildProcess::waitFor(const std::string& re, std::chrono::milliseconds timeout) {
  const std::regex rx(re);
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    std::smatch m;
    const std::string o = output();
    if (std::regex_search(o, m, rx)) return m.size() > 1 ? m[1].str() : m[0].str();
    if (exited_ || ::waitpid(pid_, &status_, WNOHANG) == pid_) {
      exited_ = true;
      return "";
    }
    std::this_thread::sleep_for(20ms);
  }
  return "";
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!exited_ && std::chrono::steady_clock::now() < end) {
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) exited_ = true;
    else std::this_thread::sleep_for(10ms);
  }
  if (!exited_) return -1;
  if (reader_.joinable()) reader_.join();
  return status_;
}

RunResult runProcess(std::vector<std::string> argv, std::vector<std::string> env) {
  ChildProcess c(std::move(argv), std::move(env));
  const int st = c.wait(60s);
  return {st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1, c.output()};
}

}  // namespace mtp::testing
