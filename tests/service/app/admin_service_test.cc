// app::AdminService on a real SQLite store, without HTTP (issue 9 item 5): the escalation
// rules decided through the request's Authorization before anything is written, and the
// admin with its grants and activity event written together.
#include "app/admin_service.h"

#include <gtest/gtest.h>

#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

class AdminServiceTest : public AppTest {
 protected:
  NewAdmin newAdmin(const std::string& email, const std::string& role) {
    NewAdmin in;
    in.email = email;
    in.firstname = "New";
    in.lastname = "Admin";
    in.role_name = role;
    in.password = "correct horse battery staple";
    return in;
  }
  std::int64_t adminCount() {
    model::ListQuery q;
    q.sort.push_back({"email", false});
    auto page = store_->query([&](store::Tx& tx) { return tx.listAdmins(scope_, q); });
    EXPECT_TRUE(page);
    return page ? page->total_count : -1;
  }
};

TEST_F(AdminServiceTest, CreatesTheAdminWithItsGrants) {
  const std::string org = addOrg("Acme");
  AdminService svc(*app_);
  auto authz = authorizationOf(owner_id_);
  NewAdmin in = newAdmin("helper@example.com", "help_desk");
  in.organizations.push_back(GrantInput{org, "", std::nullopt});
  auto made = svc.create(actorOf(owner_id_), in, *authz);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->admin.role_name, "help_desk");
  EXPECT_EQ(made->admin.status, model::AdminStatus::kActive);  // a password: active at once
  ASSERT_EQ(made->grants.size(), 1u);
  EXPECT_EQ(made->grants[0].org_id, org);
  EXPECT_EQ(adminCount(), 2);
}

TEST_F(AdminServiceTest, AnAdminOfOneOrgCannotCreateOneOfEveryOrg) {
  const std::string acme = addOrg("Acme");
  addOrg("Globex");
  const std::string narrow = addAdmin("narrow@example.com", "admin_billing", false, {acme});
  AdminService svc(*app_);
  auto authz = authorizationOf(narrow);
  NewAdmin in = newAdmin("wide@example.com", "help_desk");
  in.all_organizations = true;
  auto made = svc.create(actorOf(narrow), in, *authz);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, Status::Code::kPermissionDenied);
  EXPECT_FALSE(made.error().decision_id.empty());
  EXPECT_EQ(adminCount(), 2) << "nothing written";

  in.all_organizations = false;  // within its own reach: allowed
  in.organizations.push_back(GrantInput{acme, "", std::nullopt});
  auto ok = svc.create(actorOf(narrow), in, *authz);
  ASSERT_TRUE(ok) << ok.error().message;
}

TEST_F(AdminServiceTest, ARoleWithoutAdminManagementCannotCreate) {
  const std::string helper = addAdmin("helper@example.com", "help_desk", true);
  AdminService svc(*app_);
  auto authz = authorizationOf(helper);
  auto made = svc.create(actorOf(helper), newAdmin("x@example.com", "read_only"), *authz);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, Status::Code::kPermissionDenied);
  EXPECT_EQ(adminCount(), 2);
}

TEST_F(AdminServiceTest, UnknownRoleAndDuplicateEmailAreRefused) {
  AdminService svc(*app_);
  auto authz = authorizationOf(owner_id_);
  auto bad = svc.create(actorOf(owner_id_), newAdmin("x@example.com", "no_such_role"), *authz);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Status::Code::kInvalidArgument);
  auto dup = svc.create(actorOf(owner_id_), newAdmin("OWNER@example.com", "read_only"), *authz);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Status::Code::kConflict);
}

}  // namespace
}  // namespace mtp::app::testing
