#include "psa/psa_client.h"

#include "psa/clients.h"

namespace mtp::psa {

std::expected<std::unique_ptr<PsaClient>, std::string> makeClient(const Connection& c, Transport t) {
  if (c.kind == "connectwise") return detail::makeConnectWise(c, t);
  if (c.kind == "autotask") return detail::makeAutotask(c, t);
  return std::unexpected("unknown PSA kind " + c.kind);
}

ClientFactory defaultClientFactory(Transport t) {
  return [t](const Connection& c) { return makeClient(c, t); };
}

std::string centsText(std::int64_t cents) {
  const bool neg = cents < 0;
  const std::uint64_t v = neg ? static_cast<std::uint64_t>(-(cents + 1)) + 1 : static_cast<std::uint64_t>(cents);
  std::string frac = std::to_string(v % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return (neg ? "-" : "") + std::to_string(v / 100) + "." + frac;
}

}  // namespace mtp::psa
