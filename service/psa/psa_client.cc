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


}  // namespace mtp::psa
