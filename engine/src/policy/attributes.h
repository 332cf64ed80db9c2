// The closed set of attributes a condition may name, with their types and where they exist.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mtp::engine::detail {

enum class AttrType : std::uint8_t { kString, kBool, kRole, kAction, kSet, kEnum, kIp, kTime };

enum class AttrId : std::uint8_t {
  kPrincipalId,
  kPrincipalEmail,
  kPrincipalProvider,
  kPrincipalRole,
  kPrincipalDefaultRole,
  kPrincipalMfaRequired,
  kPrincipalApiKeyAllowed,
  kPrincipalAllOrganizations,
  kAction,
  kActionResource,
  kActionVerb,
  kOrgId,
  kOrgName,
  kOrgTags,
  kRequestAuthMethod,
  kRequestMfa,
  kRequestClientIp,
  kRequestTime,
  kRequestWeekday,
  kTargetRole,
  kTargetEmail,
  kTargetAllOrganizations,
};

// Where an attribute has a value: always, only for org-scoped actions, or only for the
// escalation actions (which carry a target admin).
enum class AttrNeeds : std::uint8_t { kNothing, kOrg, kTarget };

struct AttrInfo {
  std::string_view name;
  AttrId id;
  AttrType type;
  AttrNeeds needs;
  std::span<const std::string_view> enum_values;  // kEnum only; the index is the value
};

std::span<const AttrInfo> allAttributes();
const AttrInfo* findAttribute(std::string_view name);
std::string_view attrTypeName(AttrType t);

inline constexpr std::string_view kAuthMethods[] = {"session", "api_key"};
inline constexpr std::string_view kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

}  // namespace mtp::engine::detail
