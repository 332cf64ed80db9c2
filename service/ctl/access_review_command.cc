#include "access_review_command.h"

#include <ctime>
#include <iostream>
#include <memory>

#include "app/access_review_service.h"
#include "app/access_review_text.h"
#include "ctl_store.h"
#include "mtp/engine/authorizer.h"
#include "mtp/engine/policy_set.h"
#include "policy_commands.h"

namespace mtp::ctl {
namespace {

struct ReviewArgs {
  std::string db, provider, format = "json", policies = "policies/builtin";
};

int run(const ReviewArgs& a) {
  if (a.format != "json" && a.format != "csv") {
    std::cerr << "mtpctl: access-review: --format must be csv or json\n";
    return 2;
  }
  auto policies = engine::PolicySet::load(a.policies);
  if (!policies) {
    std::cerr << "mtpctl: access-review: the policies in " << a.policies << " do not compile:\n";
    for (const auto& d : policies.error()) std::cerr << d.str() << "\n";
    return 1;
  }
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  auto dir = store->loadDirectory();
  if (!dir) {
    std::cerr << "mtpctl: database: " << dir.error().text() << "\n";
    return 1;
  }
  auto snapshot = engine::Snapshot::build(*policies, *dir);
  if (!snapshot) {
    std::cerr << "mtpctl: access-review: directory: " << snapshot.error().message << "\n";
    return 1;
  }
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  auto review = app::buildAccessReview(*store, **snapshot, model::TenantScope{a.provider}, now);
  if (!review) {
    std::cerr << "mtpctl: access-review: " << review.error().message << "\n";
    return review.error().code == Status::Code::kNotFound ? 2 : 1;
  }
  if (a.format == "csv") std::cout << app::accessReviewCsv(*review);
  else std::cout << app::accessReviewJson(*review).dump(2) << "\n";
  return 0;
}

}  // namespace

void addAccessReviewCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("access-review",
                                 "Who reaches which org with what, from where, last used and certified");
  auto args = std::make_shared<ReviewArgs>();
  cmd->add_option("--db", args->db, "Database URL (sqlite:PATH, postgresql://...)")->required();
  cmd->add_option("--provider", args->provider, "Provider id")->required();
  cmd->add_option("--format", args->format, "json or csv")->capture_default_str();
  cmd->add_option("--policies", args->policies, "Policy directory (as mtpd's --policies)")->capture_default_str();
  cmd->callback([args] { exitCode() = run(*args); });
}

}  // namespace mtp::ctl
