#include "policy/conditions.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace mtp::engine::detail {
namespace {

constexpr Depends dependsOn(AttrId attr) {
  switch (attr) {
    case AttrId::kPrincipalId:
    case AttrId::kPrincipalEmail:
    case AttrId::kPrincipalProvider:
    case AttrId::kPrincipalDefaultRole:
    case AttrId::kPrincipalMfaRequired:
    case AttrId::kPrincipalApiKeyAllowed:
    case AttrId::kPrincipalAllOrganizations: return Depends::kPrincipal;
    case AttrId::kOrgId:
    case AttrId::kOrgName:
    case AttrId::kOrgTags: return Depends::kOrg;
    default: return Depends::kRequest;
  }
}

constexpr Tri fromBool(bool b, bool negate) { return (b != negate) ? Tri::kTrue : Tri::kFalse; }

// Each accessor returns nullopt when the request lacks the attribute: the condition errors.
std::optional<std::string_view> stringAttr(AttrId attr, const EvalContext& ctx) {
  switch (attr) {
    case AttrId::kPrincipalId: return ctx.principal.id;
    case AttrId::kPrincipalEmail: return ctx.principal.email;
    case AttrId::kPrincipalProvider: return ctx.principal.provider;
    case AttrId::kActionResource:
    case AttrId::kActionVerb: {
      if (ctx.action >= allActions().size()) return std::nullopt;
      const ActionInfo& a = actionInfo(ctx.action);
      return attr == AttrId::kActionResource ? a.resource : a.verb;
    }
    case AttrId::kOrgId:
      if (ctx.org == nullptr) return std::nullopt;
      return ctx.org->id;
    case AttrId::kOrgName:
      if (ctx.org == nullptr) return std::nullopt;
      return ctx.org->name;
    case AttrId::kTargetEmail:
      if (ctx.target.target == nullptr) return std::nullopt;
      return ctx.target.target->email;
    default: return std::nullopt;
  }
}

std::optional<bool> boolAttr(AttrId attr, const EvalContext& ctx) {
  switch (attr) {
    case AttrId::kPrincipalMfaRequired: return ctx.principal.mfa_required;
    case AttrId::kPrincipalApiKeyAllowed: return ctx.principal.api_key_allowed;
    case AttrId::kPrincipalAllOrganizations: return ctx.principal.all_organizations;
    case AttrId::kRequestMfa:
      if (ctx.request == nullptr) return std::nullopt;
      return ctx.request->mfa;
    case AttrId::kTargetAllOrganizations:
      if (ctx.target.target == nullptr) return std::nullopt;
      return ctx.target.target->all_organizations;
    default: return std::nullopt;
  }
}

std::optional<RoleId> roleAttr(AttrId attr, const EvalContext& ctx) {
  switch (attr) {
    case AttrId::kPrincipalRole: return ctx.principal.role;
    case AttrId::kPrincipalDefaultRole: return ctx.principal.default_role;
    case AttrId::kTargetRole:
      if (ctx.target.target == nullptr) return std::nullopt;
      return ctx.target.role;
    default: return std::nullopt;
  }
}

std::optional<int> enumAttr(AttrId attr, const EvalContext& ctx) {
  if (ctx.request == nullptr) return std::nullopt;
  switch (attr) {
    case AttrId::kRequestAuthMethod: return ctx.request->auth_method == AuthMethod::kApiKey ? 1 : 0;
    case AttrId::kRequestWeekday: return weekdayOf(ctx.request->time);
    default: return std::nullopt;
  }
}

class StringIn final : public Condition {
 public:
  StringIn(AttrId attr, std::vector<std::string> values, bool negate)
      : attr_(attr), values_(std::move(values)), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    auto v = stringAttr(attr_, ctx);
    if (!v) return Tri::kError;
    bool found = std::any_of(values_.begin(), values_.end(),
                             [&](const std::string& s) { return s == *v; });
    return fromBool(found, negate_);
  }

  Depends depends() const override { return dependsOn(attr_); }
 private:
  AttrId attr_;
  std::vector<std::string> values_;
  bool negate_;
};

class StringMatches final : public Condition {
 public:
  StringMatches(AttrId attr, std::unique_ptr<const RE2> re, bool negate)
      : attr_(attr), re_(std::move(re)), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    auto v = stringAttr(attr_, ctx);
    if (!v) return Tri::kError;
    return fromBool(RE2::FullMatch(re2::StringPiece(v->data(), v->size()), *re_), negate_);
  }

  Depends depends() const override { return dependsOn(attr_); }
 private:
  AttrId attr_;
  std::unique_ptr<const RE2> re_;
  bool negate_;
};

class BoolEq final : public Condition {
 public:
  BoolEq(AttrId attr, bool value, bool negate) : attr_(attr), value_(value), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    auto v = boolAttr(attr_, ctx);
    if (!v) return Tri::kError;
    return fromBool(*v == value_, negate_);
  }

  Depends depends() const override { return dependsOn(attr_); }
 private:
  AttrId attr_;
  bool value_;
  bool negate_;
};

class RoleIn final : public Condition {
 public:
  RoleIn(AttrId attr, std::vector<RoleId> roles, bool negate)
      : attr_(attr), roles_(std::move(roles)), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    auto v = roleAttr(attr_, ctx);
    if (!v) return Tri::kError;
    bool found = *v != kNoRole && std::find(roles_.begin(), roles_.end(), *v) != roles_.end();
    return fromBool(found, negate_);
  }

  Depends depends() const override { return dependsOn(attr_); }
 private:
  AttrId attr_;
  std::vector<RoleId> roles_;
  bool negate_;
};

class ActionIn final : public Condition {
 public:
  ActionIn(ActionSet actions, bool negate) : actions_(actions), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    if (ctx.action == kNoAction) return Tri::kError;
    return fromBool(actions_.has(ctx.action), negate_);
  }

 private:
  ActionSet actions_;
  bool negate_;
};

class EnumIn final : public Condition {
 public:
  EnumIn(AttrId attr, std::uint32_t mask, bool negate) : attr_(attr), mask_(mask), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    auto v = enumAttr(attr_, ctx);
    if (!v) return Tri::kError;
    return fromBool(((mask_ >> *v) & 1u) != 0, negate_);
  }

 private:
  AttrId attr_;
  std::uint32_t mask_;
  bool negate_;
};

class TagsContains final : public Condition {
 public:
  TagsContains(std::string tag, bool negate) : tag_(std::move(tag)), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    if (ctx.org == nullptr) return Tri::kError;
    bool found = std::any_of(ctx.org->tags.begin(), ctx.org->tags.end(),
                             [&](const std::string& t) { return t == tag_; });
    return fromBool(found, negate_);
  }

  Depends depends() const override { return Depends::kOrg; }
 private:
  std::string tag_;
  bool negate_;
};

class IpIn final : public Condition {
 public:
  IpIn(std::vector<IpNetwork> networks, bool negate)
      : networks_(std::move(networks)), negate_(negate) {}
  Tri eval(const EvalContext& ctx) const override {
    if (ctx.request == nullptr || !ctx.request->client_ip) return Tri::kError;
    const IpAddress& ip = *ctx.request->client_ip;
    bool found = std::any_of(networks_.begin(), networks_.end(),
                             [&](const IpNetwork& n) { return n.contains(ip); });
    return fromBool(found, negate_);
  }

 private:
  std::vector<IpNetwork> networks_;
  bool negate_;
};

class TimeBetween final : public Condition {
 public:
  TimeBetween(int start, int end) : start_(start), end_(end) {}
  Tri eval(const EvalContext& ctx) const override {
    if (ctx.request == nullptr) return Tri::kError;
    int s = secondOfDay(ctx.request->time);
    bool in = start_ <= end_ ? (s >= start_ && s < end_) : (s >= start_ || s < end_);
    return fromBool(in, false);
  }

 private:
  int start_;
  int end_;
};

class TimeCompare final : public Condition {
 public:
  TimeCompare(Op op, UnixTime at) : op_(op), at_(at) {}
  Tri eval(const EvalContext& ctx) const override {
    if (ctx.request == nullptr) return Tri::kError;
    UnixTime t = ctx.request->time;
    switch (op_) {
      case Op::kLt: return fromBool(t < at_, false);
      case Op::kLe: return fromBool(t <= at_, false);
      case Op::kGt: return fromBool(t > at_, false);
      case Op::kGe: return fromBool(t >= at_, false);
      default: return Tri::kError;
    }
  }

 private:
  Op op_;
  UnixTime at_;
};

}  // namespace

int secondOfDay(UnixTime t) {
  UnixTime r = t % 86400;
  if (r < 0) r += 86400;
  return static_cast<int>(r);
}

int weekdayOf(UnixTime t) {
  UnixTime days = t / 86400;
  if (t % 86400 < 0) --days;  // floor for times before 1970
  // 1970-01-01 was a thursday (3 when monday is 0).
  UnixTime w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w);
}

ConditionPtr makeStringIn(AttrId attr, std::vector<std::string> values, bool negate) {
  return std::make_unique<StringIn>(attr, std::move(values), negate);
}
ConditionPtr makeStringMatches(AttrId attr, std::unique_ptr<const RE2> re, bool negate) {
  return std::make_unique<StringMatches>(attr, std::move(re), negate);
}
ConditionPtr makeBoolEq(AttrId attr, bool value, bool negate) {
  return std::make_unique<BoolEq>(attr, value, negate);
}
ConditionPtr makeRoleIn(AttrId attr, std::vector<RoleId> roles, bool negate) {
  return std::make_unique<RoleIn>(attr, std::move(roles), negate);
}
ConditionPtr makeActionIn(ActionSet actions, bool negate) {
  return std::make_unique<ActionIn>(actions, negate);
}
ConditionPtr makeEnumIn(AttrId attr, std::uint32_t mask, bool negate) {
  return std::make_unique<EnumIn>(attr, mask, negate);
}
ConditionPtr makeTagsContains(std::string tag, bool negate) {
  return std::make_unique<TagsContains>(std::move(tag), negate);
}
ConditionPtr makeIpIn(std::vector<IpNetwork> networks, bool negate) {
  return std::make_unique<IpIn>(std::move(networks), negate);
}
ConditionPtr makeTimeBetween(int start_second, int end_second) {
  return std::make_unique<TimeBetween>(start_second, end_second);
}
ConditionPtr makeTimeCompare(Op op, UnixTime at) {
  return std::make_unique<TimeCompare>(op, at);
}

}  // namespace mtp::engine::detail
