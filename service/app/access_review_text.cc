#include "app/access_review_text.h"

#include "app/activity_service.h"  // csvCell
#include "app/admin_text.h"        // formatRfc3339

namespace mtp::app {

namespace {

using nlohmann::json;

json timeOrNull(const std::optional<std::int64_t>& t) { return t ? json(formatRfc3339(*t)) : json(nullptr); }

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out.push_back(' ');
    out += s;
  }
  return out;
}

}  // namespace

json accessReviewJson(const AccessReview& review) {
  json results = json::array();
  for (const auto& ra : review.admins) {
    json orgs = json::array();
    for (const auto& a : ra.organizations) {
      orgs.push_back({{"organization", a.org_id},
                      {"organizationName", a.org_name},
                      {"reach", a.reach},
                      {"role", a.role},
                      {"roleSource", a.role_source},
                      {"actions", a.actions},
                      {"policyPermitted", a.policy_permitted},
                      {"policyForbidden", a.policy_forbidden},
                      {"grantExpired", a.grant_expired},
                      {"expiresAt", timeOrNull(a.expires_at)},
                      {"lastUsedAt", timeOrNull(a.last_used_at)}});
    }
    json cert = nullptr;
    if (ra.certification) {
      cert = {{"certifiedBy", {{"id", ra.certification->certified_by_id}, {"email", ra.certification->certified_by_email}}},
              {"certifiedAt", formatRfc3339(ra.certification->certified_at)},
              {"note", ra.certification->note}};
    }
    results.push_back({{"adminId", ra.admin.id},
                       {"email", ra.admin.email},
                       {"firstname", ra.admin.firstname},
                       {"lastname", ra.admin.lastname},
                       {"status", std::string(model::adminStatusText(ra.admin.status))},
                       {"roleName", ra.admin.role_name},
                       {"allOrganizations", ra.admin.all_organizations},
                       {"providerActions", ra.provider_actions},
                       {"lastCertification", std::move(cert)},
                       {"organizations", std::move(orgs)}});
  }
  return {{"providerId", review.provider_id},
          {"generatedAt", formatRfc3339(review.generated_at)},
          {"policyVersion", review.policy_version},
          {"assumptions", {{"authMethod", "session"}, {"mfa", true}, {"clientIp", nullptr},
                           {"lastUsed", "the newest activity event the admin initiated in the org"}}},
          {"totalCount", review.admins.size()},
          {"results", std::move(results)}};
}

std::string accessReviewCsv(const AccessReview& review) {
  std::string out =
      "adminId,email,status,roleName,allOrganizations,organization,organizationName,reach,role,"
      "roleSource,actions,policyPermitted,policyForbidden,grantExpired,expiresAt,lastUsedAt,"
      "lastCertifiedAt,lastCertifiedBy,certificationNote\r\n";
  auto opt = [](const std::optional<std::int64_t>& t) { return t ? formatRfc3339(*t) : std::string(); };
  for (const auto& ra : review.admins) {
    std::string tail;
    if (ra.certification) {
      tail = csvCell(formatRfc3339(ra.certification->certified_at)) + "," +
             csvCell(ra.certification->certified_by_email) + "," + csvCell(ra.certification->note);
    } else {
      tail = ",,";
    }
    const std::string head = csvCell(ra.admin.id) + "," + csvCell(ra.admin.email) + "," +
                             csvCell(model::adminStatusText(ra.admin.status)) + "," +
                             csvCell(ra.admin.role_name) + "," +
                             (ra.admin.all_organizations ? "true" : "false") + ",";
    if (ra.organizations.empty()) {
      out += head + ",,,,,,,,,,," + tail + "\r\n";
      continue;
    }
    for (const auto& a : ra.organizations) {
      out += head + csvCell(a.org_id) + "," + csvCell(a.org_name) + "," + csvCell(a.reach) + "," +
             csvCell(a.role) + "," + csvCell(a.role_source) + "," + csvCell(joined(a.actions)) + "," +
             csvCell(joined(a.policy_permitted)) + "," + csvCell(joined(a.policy_forbidden)) + "," +
             (a.grant_expired ? "true" : "false") + "," + csvCell(opt(a.expires_at)) + "," +
             csvCell(opt(a.last_used_at)) + "," + tail + "\r\n";
    }
  }
  return out;
}

}  // namespace mtp::app
