// Operations routes and the service's deny-by-default shape, on both backends.
#include "service_fixture.h"

namespace mtp::testing {
namespace {

class OpsTest : public ServiceTest {};

TEST_P(OpsTest, HealthReadyMetrics) {
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(call("GET", "/readyz").status, 200);
  auto m = call("GET", "/metrics");
  EXPECT_EQ(m.status, 200);
}

TEST_P(OpsTest, UnknownRouteIsJson404) {
  auto r = call("GET", "/api/v2/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body(r)["error"]["code"], "not_found");
}

TEST_P(OpsTest, SeededTokenIsAReadSession) {
  auto p = createProvider("Provider A");
  auto a = createAdmin(p, SeedAdmin{});
  EXPECT_FALSE(a.token.empty());
  auto v = app().tokens().verify(a.token, now());
  ASSERT_TRUE(v.has_value()) << auth::tokenErrorName(v.error());
  EXPECT_EQ(v->admin_id, a.id);
}

MTP_SERVICE_BACKENDS(OpsTest);

}  // namespace
}  // namespace mtp::testing

namespace mtp::testing {
namespace {

class PolicyReloadTest : public ServiceTest {};

// SIGHUP reloads the policy directory: a fresh, compiled set is swapped in. (A set that
// fails to compile is never built, so it cannot replace the live one: PolicySet::load
// returns diagnostics instead; see tests/engine/policy and the ops process tests.)
TEST_P(PolicyReloadTest, ReloadSwapsInAFreshSet) {
  // The fixture serves policies/builtin; reloading it again works and changes nothing.
  auto before = app().authorizer().current()->policySet();
  ASSERT_TRUE(mtpd().reloadPolicies().has_value());
  EXPECT_NE(app().authorizer().current()->policySet(), before);
  EXPECT_EQ(app().authorizer().current()->policies().roleCount(), 8u);
}

MTP_SERVICE_BACKENDS(PolicyReloadTest);

}  // namespace
}  // namespace mtp::testing
