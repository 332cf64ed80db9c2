// The access review as JSON and as CSV: one rendering for GET .../access-review and for
// `mtpctl access-review`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/access_review_service.h"

namespace mtp::app {

// {providerId, generatedAt, policyVersion, assumptions, results:[{adminId, email, firstname,
//  lastname, status, roleName, allOrganizations, providerActions, lastCertification,
//  organizations:[{organization, organizationName, reach, role, roleSource, actions,
//  policyPermitted, policyForbidden, grantExpired, expiresAt, lastUsedAt}]}], totalCount}
nlohmann::json accessReviewJson(const AccessReview& review);

// A header row, then one row per admin and org (an admin who reaches no org: one row with
// the org cells empty); lists are space-separated. RFC 4180 quoting; a cell starting with
// = + - @ is prefixed with ' (app/activity_service.h: csvCell).
std::string accessReviewCsv(const AccessReview& review);

}  // namespace mtp::app
