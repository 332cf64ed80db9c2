// A child process for the process tests (tests/service/ctl: the real mtpd and mtpctl forked and
// exec'd as an operator runs them), with its stdout and stderr collected by a reader thread so
// that a chatty child never blocks on a full pipe. The destructor kills (SIGKILL) and reaps a
// child still running.
// Thread-safety: output() from any thread; the rest from the owning thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mtp::testing {

class ChildProcess {
 public:
  // argv[0] is the program's path; `env` entries (NAME=value) are added to the environment.
  explicit ChildProcess(std::vector<std::string> argv, std::vector<std::string> env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string output() const;
  // Waits until the output matches the regex `re`; returns the first capture group (the whole
  // match without one), "" on timeout or when the child exited first.
  std::string waitFor(const std::string& re,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // The exit status (as waitpid gives it), or -1 if it did not exit in time.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  int status_ = 0;
  bool exited_ = false;
  mutable std::mutex mu_;
  std::string out_;
  std::thread reader_;
};

struct RunResult {
  int rc = -1;  // the exit code; -1 when killed by a signal or still running after 60 s
  std::string out;
};

// Runs a program to its end (at most 60 s) and returns its exit code and output.
RunResult runProcess(std::vector<std::string> argv, std::vector<std::string> env = {});

}  // namespace mtp::testing
