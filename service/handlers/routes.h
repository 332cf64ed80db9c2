// Every route of mtpd, assembled from one file per group. Each group declares, for every
// route, its engine action (or Public / AuthenticatedAny); the pipeline asks the engine before
// any handler runs.
#pragma once

#include <vector>

#include "app/app_context.h"
#include "http/route_table.h"

namespace mtp::handlers {

// The whole table, in a stable order (docs/openapi.yaml is checked against it).
std::vector<http::Route> allRoutes(app::AppContext& app);

// Groups, one file each (handlers/<group>_routes.cc).
void addSessionRoutes(std::vector<http::Route>& out, app::AppContext& app);       // auth/*, me/*
void addProviderRoutes(std::vector<http::Route>& out, app::AppContext& app);      // provider, settings
void addOrganizationRoutes(std::vector<http::Route>& out, app::AppContext& app);  // orgs, logo, launch, administratorlinks
void addApplicationRoutes(std::vector<http::Route>& out, app::AppContext& app);   // an org's SAML/OIDC applications
void addAdministratorRoutes(std::vector<http::Route>& out, app::AppContext& app); // admins, organizationlinks, explain
void addActivityRoutes(std::vector<http::Route>& out, app::AppContext& app);      // activity (JSON, CSV)
void addBillingRoutes(std::vector<http::Route>& out, app::AppContext& app);       // billing usage, invoices, payments, information
void addDeviceRoutes(std::vector<http::Route>& out, app::AppContext& app);        // devices, systems, commands, connect key
void addCommandRoutes(std::vector<http::Route>& out, app::AppContext& app);       // saved commands, run, results
void addReportRoutes(std::vector<http::Route>& out, app::AppContext& app);        // reports: request, list, file
void addAgentRoutes(std::vector<http::Route>& out, app::AppContext& app);         // agent/v1 (Public, own keys)
void addUserRoutes(std::vector<http::Route>& out, app::AppContext& app);          // users (cross-org, systemusers, bulk, schedules)
void addHomeRoutes(std::vector<http::Route>& out, app::AppContext& app);          // home widgets, me/home, org mdm
void addUserLoginRoutes(std::vector<http::Route>& out, app::AppContext& app);     // user portal sign-in, org password policy
void addAccessReviewRoutes(std::vector<http::Route>& out, app::AppContext& app);  // access review, certifications, remove-unused
void addIntegrationRoutes(std::vector<http::Route>& out, app::AppContext& app);   // PSA integrations, mappings, syncs, requests

}  // namespace mtp::handlers
