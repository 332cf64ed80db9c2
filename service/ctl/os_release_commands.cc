#include "os_release_commands.h"

#include <ctime>
#include <iostream>
#include <memory>

#include "app/activity_service.h"
#include "mtp/engine/request.h"
#include "ctl_store.h"
#include "policy_commands.h"
#include "store/store.h"

namespace mtp::ctl {
namespace {

// YYYY-MM-DD (midnight UTC) or RFC 3339.
std::optional<std::int64_t> parseReleased(const std::string& text) {
  if (text.size() == 10) return engine::parseRfc3339(text + "T00:00:00Z");
  return engine::parseRfc3339(text);
}

struct AddArgs {
  std::string db, os, version, build, released;
};

int add(const AddArgs& a) {
  auto released = parseReleased(a.released);
  if (!released) {
    std::cerr << "mtpctl: os-release add: --released: expected YYYY-MM-DD or an RFC 3339 time\n";
    return 2;
  }
  if (a.os.empty() || a.version.empty()) {
    std::cerr << "mtpctl: os-release add: --os and --version must not be empty\n";
    return 2;
  }
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  model::OsReleaseRecord r;
  r.os_family = a.os;
  r.version = a.version;
  r.build = a.build;
  r.released_at = *released;
  r.created = static_cast<std::int64_t>(std::time(nullptr));
  auto id = store->transact([&](store::Tx& tx) { return tx.addOsRelease(r); });
  if (!id) {
    if (id.error().isConflict()) {
      std::cerr << "mtpctl: os-release add: " << a.os << " " << a.version << " " << a.build
                << " is already listed\n";
      return 1;
    }
    std::cerr << "mtpctl: os-release add: " << id.error().text() << "\n";
    return id.error().code == Status::Code::kInvalidArgument ? 2 : 1;
  }
  std::cout << *id << "\n";
  return 0;
}

struct ListArgs {
  std::string db;
  int days = 0;
};

int list(const ListArgs& a) {
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::int64_t since = a.days > 0 ? now - static_cast<std::int64_t>(a.days) * 86400 : 0;
  auto page = store->query([&](store::Tx& tx) { return tx.listOsReleases(since, 100000, 0); });
  if (!page) {
    std::cerr << "mtpctl: os-release list: " << page.error().text() << "\n";
    return 1;
  }
  for (const auto& r : page->results) {
    std::cout << app::formatRfc3339(r.released_at) << "\t" << r.os_family << "\t" << r.version << "\t"
              << r.build << "\n";
  }
  return 0;
}

}  // namespace

void addOsReleaseCommands(CLI::App& app) {
  auto* os = app.add_subcommand("os-release", "Operator: the OS releases Home lists");
  os->require_subcommand(1);

  auto add_args = std::make_shared<AddArgs>();
  auto* ad = os->add_subcommand("add", "Add a release (os family, version, build, release date)");
  ad->add_option("--db", add_args->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  ad->add_option("--os", add_args->os, "macOS, Windows, Ubuntu, ...")->required();
  ad->add_option("--version", add_args->version, "The version, e.g. 15.2")->required();
  ad->add_option("--build", add_args->build, "The build, e.g. 24C101");
  ad->add_option("--released", add_args->released, "YYYY-MM-DD (UTC) or RFC 3339")->required();
  ad->callback([add_args] { exitCode() = add(*add_args); });

  auto list_args = std::make_shared<ListArgs>();
  auto* ls = os->add_subcommand("list", "List releases, newest first");
  ls->add_option("--db", list_args->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  ls->add_option("--days", list_args->days, "Only the past N days")->check(CLI::PositiveNumber);
  ls->callback([list_args] { exitCode() = list(*list_args); });
}

}  // namespace mtp::ctl
