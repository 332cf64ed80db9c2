// Every diagnostic code, located to the character, and the loader's robustness.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "policy/yaml_reader.h"
#include "policy_test_util.h"

namespace mtp::engine {
namespace {

using policy_test::errorsOf;

std::string policy(const std::string& body) {
  return "policies:\n  - id: p\n    effect: forbid\n" + body;
}

TEST(Diagnostic, StrFormats) {
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 7, "bad_id", "x"}).str(), "a.yaml:3:7: bad_id: x");
  EXPECT_EQ((Diagnostic{"a.yaml", 0, 0, "file_error", "x"}).str(), "a.yaml: file_error: x");
  EXPECT_EQ((Diagnostic{"", 0, 0, "too_many_errors", "x"}).str(), "too_many_errors: x");
}

TEST(PolicyDiagnostics, SyntaxError) {
  EXPECT_EQ(errorsOf("roles:\n  - id: a\n    grants: [home.read\n"),
            "t.yaml:4:1: syntax_error: end of sequence flow not found\n");
  EXPECT_EQ(errorsOf("a: b\n---\nc: d\n"),
            "t.yaml:3:1: syntax_error: a policy file holds one yaml document\n");
}

TEST(PolicyDiagnostics, UnknownKeys) {
  EXPECT_EQ(errorsOf("rolez:\n  - id: a\n"),
            "t.yaml:1:1: unknown_key: unknown top-level key `rolez`; did you mean `roles`?\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    whne: request.mfa == true\n")),
            "t.yaml:5:5: unknown_key: unknown key `whne` in a policy; did you mean `when`?\n");
  EXPECT_EQ(errorsOf("roles:\n  - id: r\n    grant: [home.read]\n", false),
            "t.yaml:2:5: missing_key: a role needs `grants` or `includes`\n"
            "t.yaml:3:5: unknown_key: unknown key `grant` in a role; did you mean `grants`?\n");
}

TEST(PolicyDiagnostics, MissingKeys) {
  EXPECT_EQ(errorsOf("policies:\n  - description: x\n"),
            "t.yaml:2:5: missing_key: a policy needs an `id`\n"
            "t.yaml:2:5: missing_key: a policy needs an `effect` (`permit` or `forbid`)\n"
            "t.yaml:2:5: missing_key: a policy needs `actions`\n");
  EXPECT_EQ(errorsOf(policy("    actions: []\n")),
            "t.yaml:4:14: missing_key: `actions` must name at least one action\n");
}

TEST(PolicyDiagnostics, TypeMismatchInStructure) {
  EXPECT_EQ(errorsOf("- a\n"),
            "t.yaml:1:1: type_mismatch: a policy file must be a map with `roles` and/or "
            "`policies`\n");
  EXPECT_EQ(errorsOf("roles:\n  - id: r\n    grants: {a: b}\n", false),
            "t.yaml:3:13: type_mismatch: `grants` must be a string or a list of strings\n");
  EXPECT_EQ(errorsOf("policies:\n  - id: p\n    effect: [forbid]\n    actions: [home.read]\n"),
            "t.yaml:3:13: type_mismatch: `effect` must be a string\n");
  EXPECT_EQ(errorsOf("roles: 3\n", false), "t.yaml:1:8: type_mismatch: `roles` must be a list\n");
  EXPECT_EQ(errorsOf("roles:\n  - id: [r]\n    grants: []\n", false),
            "t.yaml:2:9: type_mismatch: `id` must be a string\n");
}

TEST(PolicyDiagnostics, DuplicateKey) {
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    actions: [home.read]\n")),
            "t.yaml:5:5: duplicate_key: key `actions` appears twice in this map\n");
}

TEST(PolicyDiagnostics, DuplicateIdAcrossRolesPoliciesAndFiles) {
  EXPECT_EQ(errorsOf("roles:\n  - id: admin\n    grants: [home.read]\n"),
            "t.yaml:2:9: duplicate_id: id `admin` is already defined at "
            "policies/builtin/roles.yaml:10:9\n");
  EXPECT_EQ(errorsOf("roles:\n  - id: x\n    grants: [home.read]\npolicies:\n  - id: x\n"
                     "    effect: forbid\n    actions: [home.read]\n",
                     false),
            "t.yaml:5:9: duplicate_id: id `x` is already defined at t.yaml:2:9\n");
}

TEST(PolicyDiagnostics, BadId) {
  EXPECT_EQ(errorsOf("roles:\n  - id: Help-Desk\n    grants: [home.read]\n", false),
            "t.yaml:2:9: bad_id: role id `Help-Desk` must match `[a-z][a-z0-9_]*`\n");
  EXPECT_EQ(errorsOf("policies:\n  - id: \"-x\"\n    effect: forbid\n    actions: [home.read]\n"),
            "t.yaml:2:9: bad_id: policy id `-x` must match `[a-z0-9][a-z0-9_.-]*`\n");
}

TEST(PolicyDiagnostics, UnknownActionWithHint) {
  EXPECT_EQ(errorsOf(policy("    actions: [users.unlok, \"user.*\", \"*.raed\", bogus]\n")),
            "t.yaml:4:15: unknown_action: unknown action `users.unlok`; did you mean "
            "`users.unlock`?\n"
            "t.yaml:4:28: unknown_action: unknown action `user.*`; did you mean `users.*`?\n"
            "t.yaml:4:38: unknown_action: unknown action `*.raed`; did you mean `*.read`?\n"
            "t.yaml:4:48: unknown_action: unknown action `bogus`\n");
}

TEST(PolicyDiagnostics, SelfActionsCannotBeGrantedByARole) {
  EXPECT_EQ(errorsOf("roles:\n  - id: r\n    grants: [self.read, \"self.*\", \"*.read\"]\n", false),
            "t.yaml:3:14: self_action: `self.read` is granted to every admin on their own "
            "account and cannot be part of a role\n"
            "t.yaml:3:25: self_action: `self.*` is granted to every admin on their own account "
            "and cannot be part of a role\n");
}

TEST(PolicyDiagnostics, UnknownRole) {
  EXPECT_EQ(errorsOf("roles:\n  - id: r\n    includes: [help_dsk]\n"),
            "t.yaml:3:16: unknown_role: unknown role `help_dsk`; did you mean `help_desk`?\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n"
                            "    when: principal.role in [\"admin\", \"managr\"]\n")),
            "t.yaml:5:39: unknown_role: unknown role `managr`; did you mean `manager`?\n");
}

TEST(PolicyDiagnostics, ConditionErrorsPointIntoTheString) {
  // Plain scalar: the condition starts at column 11.
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: principal.rol == \"admin\"\n")),
            "t.yaml:5:11: unknown_attribute: unknown attribute `principal.rol`; did you mean "
            "`principal.role`?\n");
  // Quoted scalar: one more for the quote.
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: 'principal.role = \"admin\"'\n")),
            "t.yaml:5:27: unknown_operator: unknown operator `=`; did you mean `==`?\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when:\n      - request.mfa == true\n"
                            "      - principal.role contain \"admin\"\n")),
            "t.yaml:7:24: unknown_operator: unknown operator `contain`; did you mean "
            "`contains`?\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: principal.role == admin\n")),
            "t.yaml:5:29: bad_condition: expected a value, found `admin`; strings are "
            "double-quoted: `\"admin\"`\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    unless: request.mfa == true or\n")),
            "t.yaml:5:33: bad_condition: unexpected `or` after the value\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: principal.email == \"a\n")),
            "t.yaml:5:30: bad_condition: unterminated string\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: \"\"\n")),
            "t.yaml:5:12: bad_condition: empty condition\n");
}

TEST(PolicyDiagnostics, TypeMismatchInConditions) {
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: request.mfa == \"yes\"\n")),
            "t.yaml:5:26: type_mismatch: `request.mfa ==` needs `true` or `false`\n");
  EXPECT_EQ(
      errorsOf(policy("    actions: [home.read]\n    when: principal.email contains \"x\"\n")),
      "t.yaml:5:27: type_mismatch: operator `contains` does not apply to `principal.email` "
      "(string); use `==`, `!=`, `in`, `not in`, `matches`, `not matches`\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: principal.email in \"x\"\n")),
            "t.yaml:5:30: type_mismatch: `principal.email in` needs a list of double-quoted "
            "strings such as `[\"a\", \"b\"]`\n");
}

TEST(PolicyDiagnostics, BadValueForEnumsAndEffect) {
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: request.authMethod == \"apikey\"\n")),
            "t.yaml:5:33: bad_value: `apikey` is not a value of `request.authMethod` (one of "
            "`session`, `api_key`); did you mean `api_key`?\n");
  EXPECT_EQ(errorsOf("policies:\n  - id: p\n    effect: deny\n    actions: [home.read]\n"),
            "t.yaml:3:13: bad_value: effect must be `permit` or `forbid`, not `deny`\n");
}

TEST(PolicyDiagnostics, BadRegexCidrAndTime) {
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: principal.email matches \"(a\"\n")),
            "t.yaml:5:35: bad_regex: bad regular expression `(a`: missing ): (a\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n"
                            "    when: request.clientIp in [\"10.0.0.0/8\", \"10.0.0.0/33\"]\n")),
            "t.yaml:5:46: bad_cidr: `10.0.0.0/33` is not an ip network such as `10.0.0.0/8` or "
            "`2001:db8::/32`\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n"
                            "    when: request.time between \"9:00\" and \"25:00\"\n")),
            "t.yaml:5:32: bad_time: `9:00` is not a time of day `HH:MM` (utc)\n"
            "t.yaml:5:43: bad_time: `25:00` is not a time of day `HH:MM` (utc)\n");
  EXPECT_EQ(errorsOf(policy("    actions: [home.read]\n    when: request.time < \"tomorrow\"\n")),
            "t.yaml:5:26: bad_time: `tomorrow` is not an rfc 3339 time such as "
            "`2026-11-22T16:00:00Z`\n");
}

TEST(PolicyDiagnostics, AttributeUnavailable) {
  EXPECT_EQ(errorsOf(policy("    actions: [devices.shutdown, billing.update]\n"
                            "    when: org.tags contains \"x\"\n")),
            "t.yaml:5:11: attribute_unavailable: `org.tags` exists only for org-scoped "
            "actions, and this policy covers `billing.update`\n");
  EXPECT_EQ(errorsOf(policy("    actions: [admins.create, admins.enable_api]\n"
                            "    when: target.role == \"admin\"\n")),
            "t.yaml:5:11: attribute_unavailable: `target.role` exists only for actions that "
            "edit an admin (`admins.create`, `admins.update`, `admins.suspend`, `admins.restore`, "
            "`admins.delete`, `admins.reset_password`, `admins.reset_mfa`, `admins.grant_access`), "
            "and this policy covers `admins.enable_api`\n");
}

TEST(PolicyDiagnostics, IncludeCycle) {
  EXPECT_EQ(errorsOf("roles:\n  - id: a\n    includes: [b]\n  - id: b\n    includes: [a]\n",
                     false),
            "t.yaml:5:16: include_cycle: roles include each other: `a` -> `b` -> `a`\n");
  EXPECT_EQ(errorsOf("roles:\n  - id: a\n    includes: [a]\n", false),
            "t.yaml:3:16: include_cycle: roles include each other: `a` -> `a`\n");
}

TEST(PolicyDiagnostics, EveryProblemAtOnce) {
  auto r = policy_test::compileText(
      "roles:\n"
      "  - id: Bad\n"
      "    grants: [nope]\n"
      "policies:\n"
      "  - id: p\n"
      "    effect: forbid\n"
      "    actions: [users.*]\n"
      "    when:\n"
      "      - principal.role == \"nobody\"\n"
      "      - request.clientIp in [\"300.0.0.1/8\"]\n"
      "    unless: org.colour == \"red\"\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(policy_test::render(r.error()),
            "t.yaml:2:9: bad_id: role id `Bad` must match `[a-z][a-z0-9_]*`\n"
            "t.yaml:9:27: unknown_role: unknown role `nobody`\n"
            "t.yaml:10:30: bad_cidr: `300.0.0.1/8` is not an ip network such as `10.0.0.0/8` or "
            "`2001:db8::/32`\n"
            "t.yaml:11:13: unknown_attribute: unknown attribute `org.colour`\n");
}

TEST(PolicyDiagnostics, CappedAtOneHundred) {
  std::string text = "policies:\n";
  for (int i = 0; i < 150; ++i) {
    text += "  - id: p" + std::to_string(i) + "\n    effect: forbid\n    actions: [nope]\n";
  }
  auto r = policy_test::compileText(text);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().size(), 101u);
  EXPECT_EQ(r.error()[0].str(), "t.yaml:4:15: unknown_action: unknown action `nope`");
  EXPECT_EQ(r.error()[100].str(), "t.yaml: too_many_errors: too many errors; stopped after 100");
}

TEST(PolicyDiagnostics, GarbageNeverCrashes) {
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::string text(rng() % 400, '\0');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    auto r = policy_test::compileText(text, false);
    if (!r) {
      for (const auto& d : r.error()) EXPECT_FALSE(d.code.empty());
    }
  }
  // Printable YAML-ish noise made of the language's own tokens.
  const char* tokens[] = {"roles:", "policies:", "- ", "id: ", "[", "]", "{", "}", "\n", "  ",
                          "when: ", "\"", "*", "&a ", "*a", "!!binary ", "? ", ": ", "#",
                          "principal.role == ", "in [", "between", "|", ">", "'", "\\", "%"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) text += tokens[rng() % std::size(tokens)];
    (void)policy_test::compileText(text, false);
  }
}

TEST(PolicyDiagnostics, HugeAndDeepInputsAreRejectedNotCrashed) {
  auto r = policy_test::compileText(std::string((1 << 20) + 1, 'a'), false);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].str(), "t.yaml: file_error: file is larger than 1048576 bytes");

  auto deep = policy_test::compileText("roles: " + std::string(100000, '['), false);
  ASSERT_FALSE(deep.has_value());
  EXPECT_EQ(deep.error()[0].str(), "t.yaml:1:16: limit_exceeded: maps and lists nested deeper than 16 levels");

  std::string chain = "roles:\n";
  for (int i = 0; i < 5000; ++i) {
    chain += "  - {id: r" + std::to_string(i) + ", includes: [r" + std::to_string(i + 1) + "]}\n";
  }
  chain += "  - {id: r5000, grants: [home.read]}\n";
  auto c = policy_test::compileText(chain, false);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error()[0].code, "include_cycle");
}


// The fuzzer's slow class (fuzz_policy_parser, a unit over 10 s): a small file whose aliases
// repeat one anchored policy of 300 conditions 1,500 times, i.e. 450,000 conditions to parse
// from 16 KB. The reader stops at the anchor: one diagnostic, nothing compiled.
std::string aliasAmplified() {
  std::string s = "policies:\n  - &p {id: p, effect: forbid, actions: [\"*\"], when: [";
  for (int i = 0; i < 300; ++i) s += "request.mfa == true,";
  s += "]}\n";
  for (int i = 0; i < 1500; ++i) s += "  - *p\n";
  return s;
}

TEST(PolicyLimits, AnchorsAndAliasesAreRejectedBeforeAnyExpansion) {
  EXPECT_EQ(errorsOf(aliasAmplified()),
            "t.yaml:2:5: limit_exceeded: anchors (`&name`) are not allowed in a policy file\n");
  // An alias alone (its anchor undefined) is a syntax error of yaml-cpp's or the alias limit.
  EXPECT_NE(errorsOf("roles:\n  - id: a\n    grants: *g\n").find("t.yaml:3:13: "), std::string::npos);
  EXPECT_EQ(errorsOf("roles:\n  - id: a\n    grants: &g [home.read]\n    except: *g\n"),
            "t.yaml:3:13: limit_exceeded: anchors (`&name`) are not allowed in a policy file\n");
}

TEST(PolicyLimits, NestingDeeperThanTheLimit) {
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_EQ(errorsOf("roles:\n  - id: a\n    grants: " + deep + "\n"),
            "t.yaml:3:26: limit_exceeded: maps and lists nested deeper than 16 levels\n");
}

TEST(PolicyLimits, MoreNodesThanTheLimit) {
  std::string s = "roles:\n  - id: a\n    grants: [";
  for (std::size_t i = 0; i < detail::kMaxPolicyYamlNodes; ++i) s += "a,";
  s += "]\n";
  const std::string errors = errorsOf(s);
  EXPECT_EQ(errors.find("limit_exceeded: more than 100000 yaml nodes"), errors.find(": ") + 2) << errors;
  EXPECT_EQ(std::count(errors.begin(), errors.end(), '\n'), 1) << errors;
}

}  // namespace
}  // namespace mtp::engine
