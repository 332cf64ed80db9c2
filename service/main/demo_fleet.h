// `mtpd --demo`, second part: what the MSP manages in the demo orgs, so that Home, the user
// and device lists and billing show something on the first start. Runs once, right after
// seedDemo() created the demo tenant, through the same use cases as the REST routes (the
// devices enroll with their org's connect key through the agent protocol):
// - users in every org in every state: STAGED, ACTIVATED, SUSPENDED; locked out by failed
//   user-portal sign-ins; a forced password reset; passwords expiring soon; new this week;
//   sudo, passwordless sudo, samba, no password; a scheduled suspension and activation;
// - devices per org (Linux, Windows, macOS), one inactive for 12 days, one up for 45 days;
// - 35 days of usage snapshots (so last month's and this month's high-water marks exist)
//   and a price per user.
// The banner then shows the connect key of the first org, for `mtpctl agent`.
//
// Thread-safety: a free function; call before serving requests.
#pragma once

#include <expected>
#include <string>

#include "app/app_context.h"
#include "main/demo.h"

namespace mtp::service {

struct DemoFleet {
  std::string organization;  // name of the org whose connect key is shown
  std::string connect_key;
  int users = 0;
  int devices = 0;
  std::string psa_integration;  // the demo's PSA integration (against nothing real)
};

std::expected<DemoFleet, std::string> seedDemoFleet(app::AppContext& app, const DemoOutcome& demo);

// Lines for the banner: how to run the reference agent and restart a device.
std::string demoFleetBanner(const DemoFleet& fleet, const std::string& url);

}  // namespace mtp::service
