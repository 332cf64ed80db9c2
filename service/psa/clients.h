// The two products' clients (connectwise_client.cc, autotask_client.cc). Internal to service/psa.
#pragma once

#include <memory>

#include "psa/psa_client.h"

namespace mtp::psa::detail {

std::unique_ptr<PsaClient> makeConnectWise(const Connection& c, Transport t);
std::unique_ptr<PsaClient> makeAutotask(const Connection& c, Transport t);

}  // namespace mtp::psa::detail
