// Directory and request documents: the JSON (or YAML) files that `mtpctl authorize` reads and
// that policy test files embed. Decoding is strict: unknown keys, wrong types and bad values
// are diagnostics with `file:line:col`, never a crash.
// Thread-safety: plain functions over their arguments.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mtp/engine/diagnostic.h"
#include "mtp/engine/directory.h"
#include "mtp/engine/request.h"
#include "mtp/engine/result.h"

namespace mtp::engine {

// A request and the strings it views. Not copyable: `request` points into this object.
struct RequestDocument {
  std::string admin, action, organization, provider, target_role, target_email;
  std::vector<std::string> target_org_ids, target_org_roles;
  std::vector<TargetGrant> target_grants;
  Request request;

  RequestDocument() = default;
  RequestDocument(const RequestDocument&) = delete;
  RequestDocument& operator=(const RequestDocument&) = delete;
  // Points `request`'s views at the strings above; call after changing them.
  void bind();
};

// `{"providers":[{"id","requireAdminMFA","organizations":[{"id","name","tags"}]}],
//   "admins":[{"id","provider","email","roleName","status","enableMultiFactor",
//              "apiKeyAllowed","allOrganizations","organizations":[{"id","roleName"?,
//              "expiresAt"?}]}]}`
Result<DirectoryData, Diagnostics> parseDirectoryDocument(const std::string& file,
                                                          std::string_view text);

// `{"admin","action","organization"?,"provider"?,"authMethod":"session"|"api_key","mfa":bool,
//   "clientIp"?,"time"?,"target":{"roleName"?,"organizations"?,"email"?,"allOrganizations"?}}`
// An action name outside the catalogue is not an error: the decision says `unknown_action`.
// Without `time`, the request is made at `default_time`.
Result<std::unique_ptr<RequestDocument>, Diagnostics> parseRequestDocument(
    const std::string& file, std::string_view text, UnixTime default_time);

}  // namespace mtp::engine
