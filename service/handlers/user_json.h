// A user of a managed org as the API shows it (JumpCloud's systemuser fields; never a
// password or hash): shared by the user and the user schedule routes.
#pragma once

#include <nlohmann/json.hpp>

#include "store/records.h"

namespace mtp::handlers {

nlohmann::json userJson(const store::SystemUserRecord& u);

}  // namespace mtp::handlers
