// The access review's rows (issue 14 item 3): the provider's admins, orgs and grants read in
// one go, when each admin last acted in each org, and the review's certifications: one
// aggregate of the store (soci_access_review.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

// One recorded certification: `certified_by` looked at `admin_id`'s access and vouched for it.
struct CertificationRecord {
  std::string id;  // empty on add: generated
  std::string admin_id;
  std::string certified_by_id;
  std::string certified_by_email;
  UnixTime certified_at = 0;  // 0 on add: now
  std::string note;
};

// The newest activity event an admin initiated in one org.
struct LastUseRecord {
  std::string admin_id;
  std::string org_id;
  UnixTime at = 0;
};

struct ReviewOrgRecord {
  std::string id;
  std::string name;
};

class AccessReviewStore {
 public:
  virtual ~AccessReviewStore() = default;

  // Every admin of the provider (the fields of AdminRecord the review needs: id, email,
  // names, role_name, status, all_organizations), by email.
  virtual Result<std::vector<AdminRecord>> reviewAdmins(const TenantScope& scope) = 0;
  // Every org of the provider, by name.
  virtual Result<std::vector<ReviewOrgRecord>> reviewOrganizations(const TenantScope& scope) = 0;
  // Every grant of the provider's admins (expired ones too).
  virtual Result<std::vector<GrantRecord>> reviewGrants(const TenantScope& scope) = 0;
  // Per (admin, org): the time of the newest activity event the admin initiated in that org.
  virtual Result<std::vector<LastUseRecord>> lastUseByAdminAndOrg(const TenantScope& scope) = 0;

  // Returns the id.
  virtual Result<std::string> addCertification(const TenantScope& scope,
                                               const CertificationRecord& record) = 0;
  // The newest certification of each admin (of admins removed since, too).
  virtual Result<std::vector<CertificationRecord>> latestCertifications(const TenantScope& scope) = 0;
};

}  // namespace mtp::store
