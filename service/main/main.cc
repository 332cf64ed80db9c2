// mtpd: the MTP REST service.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "main/mtpd.h"

namespace {

std::string envOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

}  // namespace

int main(int argc, char** argv) {
  mtp::service::MtpdOptions o;
  o.db = envOr("MTP_DB", o.db);
  o.listen = envOr("MTP_LISTEN", o.listen);
  o.policies = envOr("MTP_POLICIES", o.policies);  // default: the built-in roles only
  o.jwt_key_file = envOr("MTP_JWT_KEY_FILE", o.jwt_key_file);
  o.threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));

  CLI::App cli{"mtpd: the MTP REST service"};
  cli.add_option("--db", o.db, "Database: sqlite:PATH or postgresql://user:pass@host:port/db (env MTP_DB)");
  cli.add_option("--listen", o.listen, "Address to listen on (env MTP_LISTEN)");
  cli.add_option("--threads", o.threads, "Worker threads")->check(CLI::Range(1, 256));
  cli.add_option("--policies", o.policies, "Policy directory (env MTP_POLICIES)");
  cli.add_option("--jwt-key-file", o.jwt_key_file, "Session signing key; created 0600 on first start");
  cli.add_option("--trusted-proxy", o.trusted_proxies, "CIDR of a reverse proxy whose X-Forwarded-For is believed");
  auto* migrate = cli.add_subcommand("migrate", "Apply the schema migrations and exit");
  CLI11_PARSE(cli, argc, argv);
  (void)migrate;

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto mtpd = mtp::service::Mtpd::start(o);
  if (!mtpd) {
    std::cerr << "mtpd: " << mtpd.error() << "\n";
    return 1;
  }
  std::cout << "mtpd listening on http://" << o.listen.substr(0, o.listen.rfind(':')) << ":"
            << (*mtpd)->port() << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("signal {}: shutting down", sig);
  (*mtpd)->stop();
  return 0;
}
