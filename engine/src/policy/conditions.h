// The compiled conditions: one small class per operator family, built by the compiler from a
// type-checked ConditionAst. Evaluation compares ids, bytes and precompiled RE2 programs and
// does not allocate.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "policy/attributes.h"
#include "policy/compiled.h"
#include "policy/condition_parser.h"

namespace mtp::engine::detail {

using ConditionPtr = std::unique_ptr<const Condition>;

// ==, !=, in, not in on a string attribute.
ConditionPtr makeStringIn(AttrId attr, std::vector<std::string> values, bool negate);
// matches, not matches (full match). REQUIRES: re->ok().
ConditionPtr makeStringMatches(AttrId attr, std::unique_ptr<const RE2> re, bool negate);
// ==, != on a bool attribute.
ConditionPtr makeBoolEq(AttrId attr, bool value, bool negate);
// ==, !=, in, not in on a role attribute. A role the request does not know (kNoRole) equals
// no literal.
ConditionPtr makeRoleIn(AttrId attr, std::vector<RoleId> roles, bool negate);
// ==, !=, in, not in on `action`.
ConditionPtr makeActionIn(ActionSet actions, bool negate);
// ==, !=, in, not in on an enum attribute; bit i of `mask` is enum value i.
ConditionPtr makeEnumIn(AttrId attr, std::uint32_t mask, bool negate);
// contains, not contains on org.tags.
ConditionPtr makeTagsContains(std::string tag, bool negate);
// in, not in on request.clientIp.
ConditionPtr makeIpIn(std::vector<IpNetwork> networks, bool negate);
// request.time between start and end, as seconds of the UTC day; wraps when start > end.
ConditionPtr makeTimeBetween(int start_second, int end_second);
// request.time <, <=, >, >= `at`.
ConditionPtr makeTimeCompare(Op op, UnixTime at);

// Day of week of `t` (UTC), 0 = monday.
int weekdayOf(UnixTime t);
// Seconds since 00:00 UTC of `t`'s day.
int secondOfDay(UnixTime t);

}  // namespace mtp::engine::detail
