// The access_denied event of one denial (spec: activity), written to the caller's own
// provider; the 403 body's decision id is its resource id. What it records must tell the
// caller nothing the answer did not (issue 10 items 5 and 6):
//  - an org of another provider and an id that exists nowhere are both recorded as
//    `org_unknown` (the answer is the same 404 for both);
//  - the org is recorded only when it has the shape of an id (24 lowercase hex digits, as
//    store ids are made): anything else is request text and is recorded as `(not an id)`.
#pragma once

#include <string>
#include <string_view>

#include "app/actor.h"
#include "mtp/engine/decision.h"
#include "model/records.h"

namespace mtp::app {

// True for the shape of every id MTP makes: 24 lowercase hex digits.
bool isWellFormedId(std::string_view id);

model::ActivityRecord denialEvent(const Actor& actor, std::string_view action, engine::Reason reason,
                                  const std::string& decision_id, std::string_view organization);

}  // namespace mtp::app
