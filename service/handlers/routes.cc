#include "handlers/routes.h"

namespace mtp::handlers {

std::vector<http::Route> allRoutes(app::AppContext& app) {
  std::vector<http::Route> routes;
  addSessionRoutes(routes, app);
  addProviderRoutes(routes, app);
  addOrganizationRoutes(routes, app);
  addApplicationRoutes(routes, app);
  addAdministratorRoutes(routes, app);
  addActivityRoutes(routes, app);
  addBillingRoutes(routes, app);
  addDeviceRoutes(routes, app);
  addCommandRoutes(routes, app);
  addReportRoutes(routes, app);
  addAgentRoutes(routes, app);
  addUserRoutes(routes, app);
  addHomeRoutes(routes, app);
  addUserLoginRoutes(routes, app);
  addAccessReviewRoutes(routes, app);
  addIntegrationRoutes(routes, app);
  return routes;
}

}  // namespace mtp::handlers
