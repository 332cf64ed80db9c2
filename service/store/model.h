// The store reads and writes the model's plain rows (service/model, namespace mtp::model): the
// layer below both the store and the use cases. Inside the store they keep their short names.
#pragma once

#include "model/billing_records.h"
#include "model/home_records.h"
#include "model/list_query.h"
#include "model/records.h"
#include "model/scope.h"

namespace mtp::store {
using namespace mtp::model;  // NOLINT(google-build-using-namespace): the store's own vocabulary
}  // namespace mtp::store
