// One decision of the engine as a JSON line: what mtpd's decision log writes (DecisionLog) and
// what `mtpctl policy impact` reads back to replay. The line carries every field of
// engine::Request a decision depends on, and the decision; never a credential (the Request
// holds none: ids, names, flags, an address and a time).
//
//   {"id":"…","time":"2026-12-06T22:40:00Z","admin":"a1","provider":"p1","action":"users.unlock",
//    "org":"o1","authMethod":"session","mfa":true,"sessionScope":"full","launchOrg":"",
//    "clientIp":"10.0.0.1","anyOrg":false,
//    "target":{"role":"","email":"","allOrganizations":false,"organizations":[{"id":"o2","role":""}]},
//    "allowed":true,"reason":"allowed","decidedBy":"help_desk","policyVersion":"9f0c…"}
//
// `target` is present only when the request has one; `clientIp` is null without an address.
// Thread-safety: plain functions; a DecisionRecord is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mtp/engine/decision.h"
#include "mtp/engine/request.h"

namespace mtp::decisions {

// What the line holds beyond the request and the decision.
struct DecisionFields {
  std::string_view decision_id;
  std::string_view policy_version;
};

// Appends one line (with its '\n') for `request` and `decision` to `out`.
void appendDecisionLine(std::string& out, const engine::Request& request,
                        const engine::Decision& decision, const DecisionFields& fields);

// A decision read back from a line: owns the strings `request()` views.
class DecisionRecord {
 public:
  std::string id, admin, provider, action, organization, launch_org, client_ip;
  std::string target_role, target_email;
  std::vector<std::string> target_org_ids, target_org_roles;
  std::string decided_by, policy_version;
  engine::UnixTime time = 0;
  engine::ActionId action_id = engine::kNoAction;
  engine::AuthMethod auth_method = engine::AuthMethod::kSession;
  engine::SessionScope session_scope = engine::SessionScope::kFull;
  std::optional<engine::IpAddress> ip;
  bool mfa = false, any_organization = false;
  bool target_present = false, target_all_organizations = false;
  bool allowed = false;
  engine::Reason reason = engine::Reason::kUnknownAction;

  // The request as logged; views into this record (valid until it changes or goes away).
  const engine::Request& request();

 private:
  std::vector<engine::TargetGrant> grants_;
  engine::Request request_;
};

// Reads one line into `out`. On a malformed line returns what is wrong, and `out` is
// unspecified.
std::optional<std::string> parseDecisionLine(std::string_view line, DecisionRecord& out);

// `2026-12-06T22:40:00Z` for a Unix time (UTC, seconds).
std::string formatRfc3339(engine::UnixTime t);
// The address as text: dotted IPv4 for an IPv4-mapped address, else IPv6.
std::string formatIp(const engine::IpAddress& ip);

}  // namespace mtp::decisions
