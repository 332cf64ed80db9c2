#include "handlers/routes.h"

namespace mtp::handlers {

void addSessionRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  (void)out;
  (void)app;
}

}  // namespace mtp::handlers
