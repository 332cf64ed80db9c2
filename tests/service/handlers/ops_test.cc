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
