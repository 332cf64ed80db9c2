#include "policy/attributes.h"

#include <array>

namespace mtp::engine::detail {
namespace {

using enum AttrType;
using enum AttrNeeds;

const std::array<AttrInfo, 22> kAttributes = {{
    {"principal.id", AttrId::kPrincipalId, kString, kNothing, {}},
    {"principal.email", AttrId::kPrincipalEmail, kString, kNothing, {}},
    {"principal.provider", AttrId::kPrincipalProvider, kString, kNothing, {}},
    {"principal.role", AttrId::kPrincipalRole, kRole, kNothing, {}},
    {"principal.defaultRole", AttrId::kPrincipalDefaultRole, kRole, kNothing, {}},
    {"principal.mfaRequired", AttrId::kPrincipalMfaRequired, kBool, kNothing, {}},
    {"principal.apiKeyAllowed", AttrId::kPrincipalApiKeyAllowed, kBool, kNothing, {}},
    {"principal.allOrganizations", AttrId::kPrincipalAllOrganizations, kBool, kNothing, {}},
    {"action", AttrId::kAction, AttrType::kAction, kNothing, {}},
    {"action.resource", AttrId::kActionResource, kString, kNothing, {}},
    {"action.verb", AttrId::kActionVerb, kString, kNothing, {}},
    {"org.id", AttrId::kOrgId, kString, kOrg, {}},
    {"org.name", AttrId::kOrgName, kString, kOrg, {}},
    {"org.tags", AttrId::kOrgTags, kSet, kOrg, {}},
    {"request.authMethod", AttrId::kRequestAuthMethod, kEnum, kNothing, kAuthMethods},
    {"request.mfa", AttrId::kRequestMfa, kBool, kNothing, {}},
    {"request.clientIp", AttrId::kRequestClientIp, kIp, kNothing, {}},
    {"request.time", AttrId::kRequestTime, kTime, kNothing, {}},
    {"request.weekday", AttrId::kRequestWeekday, kEnum, kNothing, kWeekdays},
    {"target.role", AttrId::kTargetRole, kRole, kTarget, {}},
    {"target.email", AttrId::kTargetEmail, kString, kTarget, {}},
    {"target.allOrganizations", AttrId::kTargetAllOrganizations, kBool, kTarget, {}},
}};

}  // namespace

std::span<const AttrInfo> allAttributes() { return kAttributes; }

const AttrInfo* findAttribute(std::string_view name) {
  for (const AttrInfo& a : kAttributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string_view attrTypeName(AttrType t) {
  switch (t) {
    case kString: return "string";
    case kBool: return "bool";
    case kRole: return "role";
    case AttrType::kAction: return "action";
    case kSet: return "set of strings";
    case kEnum: return "enum";
    case kIp: return "ip address";
    case kTime: return "time";
  }
  return "?";
}

}  // namespace mtp::engine::detail
