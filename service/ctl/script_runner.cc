#include "script_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string_view>

namespace mtp::ctl {

namespace {

using Clock = std::chrono::steady_clock;

bool knownShell(const std::string& shell) {
  return shell == "bash" || shell == "sh" || shell == "zsh";
}

void childExec(const std::string& shell, const std::string& script, int out_fd) {
  ::setpgid(0, 0);
  int in = ::open("/dev/null", O_RDONLY);
  if (in >= 0) ::dup2(in, STDIN_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(out_fd, STDERR_FILENO);
  ::signal(SIGPIPE, SIG_DFL);
  const char* argv[] = {shell.c_str(), "-c", script.c_str(), nullptr};
  ::execvp(shell.c_str(), const_cast<char* const*>(argv));
  constexpr std::string_view msg = "mtpctl agent: cannot run the shell\n";
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg.data(), msg.size());
  ::_exit(127);
}

}  // namespace

ScriptOutcome runScript(const std::string& shell, const std::string& script, int timeout_seconds,
                        std::size_t output_cap) {
  ScriptOutcome out;
  if (!knownShell(shell)) {
    out.status = "failed";
    out.output = "mtpctl agent: shell " + shell + " is not available on this host";
    return out;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    out.status = "failed";
    out.output = "mtpctl agent: pipe failed";
    return out;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    out.status = "failed";
    out.output = "mtpctl agent: fork failed";
    return out;
  }
  if (pid == 0) childExec(shell, script, fds[1]);
  ::setpgid(pid, pid);  // also from here: no race with the kill below
  ::close(fds[1]);
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  bool eof = false, reaped = false, timed_out = false;
  int wstatus = 0;
  char buf[8192];
  while (true) {
    if (!reaped) {
      const pid_t w = ::waitpid(pid, &wstatus, WNOHANG);
      if (w == pid) reaped = true;
    }
    if (eof && reaped) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = !reaped;
      break;
    }
    if (eof) {  // the output is closed but the shell still runs
      ::poll(nullptr, 0, static_cast<int>(std::min<long long>(left.count(), 50)));
      continue;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) {
      if (reaped) break;  // the shell is gone; a background child keeps the pipe: stop reading
      continue;
    }
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      eof = true;
      continue;
    }
    const std::size_t room = output_cap > out.output.size() ? output_cap - out.output.size() : 0;
    const std::size_t take = std::min(room, static_cast<std::size_t>(n));
    out.output.append(buf, take);
    if (take < static_cast<std::size_t>(n)) out.truncated = true;
  }
  ::close(fds[0]);
  ::kill(-pid, SIGKILL);  // the group: the shell (on time-out) and whatever it left behind
  if (!reaped) ::waitpid(pid, &wstatus, 0);
  if (timed_out) {
    out.status = "timed_out";
    out.output += "\nmtpctl agent: killed after " + std::to_string(timeout_seconds) + " s";
    return out;
  }
  if (WIFEXITED(wstatus)) {
    out.exit_code = WEXITSTATUS(wstatus);
    out.status = *out.exit_code == 127 && out.output.find("cannot run the shell") != std::string::npos
                     ? "failed"
                     : "done";
  } else if (WIFSIGNALED(wstatus)) {
    out.status = "failed";
    out.exit_code = 128 + WTERMSIG(wstatus);
  } else {
    out.status = "failed";
  }
  return out;
}

}  // namespace mtp::ctl
