// mtpctl: validate and test policy files, ask the engine for one decision, and (with the
// store) the operator's commands.
#include <CLI/CLI.hpp>

#include "agent_commands.h"
#include "policy_commands.h"
#ifdef MTP_CTL_OPS
#include "access_review_command.h"
#include "billing_commands.h"
#include "os_release_commands.h"
#include "policy_store_commands.h"
#include "ops_commands.h"
#include "seed_commands.h"
#endif

int main(int argc, char** argv) {
  CLI::App app{"mtpctl: the MTP operator's and security team's command line"};
  app.require_subcommand(1);
  mtp::ctl::addPolicyCommands(app);
  mtp::ctl::addAgentCommands(app);
#ifdef MTP_CTL_OPS
  mtp::ctl::addOpsCommands(app);
  mtp::ctl::addBillingCommands(app);
  mtp::ctl::addOsReleaseCommands(app);
  mtp::ctl::addSeedCommands(app);
  mtp::ctl::addAccessReviewCommand(app);
  mtp::ctl::addPolicyStoreCommands(*app.get_subcommand("policy"));
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // usage errors are bad input
  }
  return mtp::ctl::exitCode();
}
