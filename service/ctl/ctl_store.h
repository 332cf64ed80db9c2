// The operator commands' way into the database (ops, billing, os-release, seed): open the
// store at `url` and require exactly the schema this binary knows. mtpctl never migrates
// (that is `mtpd migrate`, run with the service's own version).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace mtp::ctl {

// nullptr after printing why to stderr, with `rc` set: 2 for a malformed URL, 1 otherwise.
std::unique_ptr<store::Store> openCurrentStore(const std::string& url, int& rc);

}  // namespace mtp::ctl
