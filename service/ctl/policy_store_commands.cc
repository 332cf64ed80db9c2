#include "policy_store_commands.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/activity_service.h"
#include "ctl_store.h"
#include "mtp/engine/authorizer.h"
#include "mtp/engine/policy_set.h"
#include "policy_commands.h"
#include "store/store.h"

namespace mtp::ctl {
namespace {

std::string defaultAuthor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "mtpctl";
}

void printDiagnostics(const engine::Diagnostics& ds) {
  for (const auto& d : ds) std::cerr << d.str() << "\n";
}

// Whether `set` can replace the live one for the database's directory: every role an admin
// holds (their own or per org) is in it. It is the check each replica makes when a version
// becomes active (Authorizer::replacePolicies); a version that fails it is kept out of force
// there, and a replica started on it refuses to start. "" when it fits, else why not.
std::string misfit(engine::DirectoryData directory, std::shared_ptr<const engine::PolicySet> set) {
  auto fits = engine::Authorizer::create(std::move(set), std::move(directory));
  return fits ? "" : fits.error().message;
}

struct PushArgs {
  std::string db, dir, by = defaultAuthor();
  bool force = false;
};

int push(const PushArgs& a) {
  // The same check and diagnostics as `mtpctl policy check DIR`.
  auto set = engine::PolicySet::load(a.dir);
  if (!set) {
    printDiagnostics(set.error());
    std::cerr << set.error().size() << " error(s)\n";
    return 1;
  }
  auto sources = engine::PolicySet::readSources(a.dir);
  if (!sources) {
    printDiagnostics(sources.error());
    return 1;
  }
  auto again = engine::PolicySet::compile(*sources);
  if (!again || (*again)->version() != (*set)->version()) {
    std::cerr << "mtpctl: policy push: " << a.dir << " changed while it was read; try again\n";
    return 1;
  }
  std::vector<store::PolicyFileRecord> files;
  const std::filesystem::path base(a.dir);
  for (const auto& s : *sources) {
    files.push_back({std::filesystem::path(s.path).lexically_relative(base).generic_string(), s.text});
  }
  int rc = 0;
  auto st = openCurrentStore(a.db, rc);
  if (!st) return rc;
  auto directory = st->loadDirectory();
  if (!directory) {
    std::cerr << "mtpctl: policy push: database: " << directory.error().text() << "\n";
    return 1;
  }
  if (auto why = misfit(std::move(*directory), *set); !why.empty()) {
    if (!a.force) {
      std::cerr << "mtpctl: policy push: " << a.dir << " does not fit the directory: " << why
                << " (replicas would keep the old version; --force stores it anyway)\n";
      return 1;
    }
    std::cerr << "mtpctl: policy push: warning: " << why << " (stored because of --force)\n";
  }
  const std::string hash((*set)->version());
  auto version = st->transact([&](store::Tx& tx) { return tx.pushPolicyVersion(files, hash, a.by); });
  if (!version) {
    std::cerr << "mtpctl: policy push: " << version.error().text() << "\n";
    return version.error().code == Status::Code::kInvalidArgument ? 2 : 1;
  }
  std::cout << "version " << *version << " active: " << (*set)->roleCount() << " roles, "
            << (*set)->policyCount() << " policies (" << hash << ")\n";
  return 0;
}

int versions(const std::string& db) {
  int rc = 0;
  auto st = openCurrentStore(db, rc);
  if (!st) return rc;
  auto list = st->query([](store::Tx& tx) { return tx.listPolicyVersions(); });
  if (!list) {
    std::cerr << "mtpctl: policy versions: " << list.error().text() << "\n";
    return 1;
  }
  for (const auto& v : *list) {
    std::cout << v.version << "\t" << app::formatRfc3339(v.created) << "\t" << v.created_by << "\t"
              << v.content_hash << (v.active ? "\tactive" : "") << "\n";
  }
  return 0;
}

struct RollbackArgs {
  std::string db, by = defaultAuthor();
  std::int64_t version = 0;
  bool force = false;
};

int rollback(const RollbackArgs& a) {
  int rc = 0;
  auto st = openCurrentStore(a.db, rc);
  if (!st) return rc;
  auto directory = st->loadDirectory();
  if (!directory) {
    std::cerr << "mtpctl: policy rollback: database: " << directory.error().text() << "\n";
    return 1;
  }
  std::string why;  // the version does not fit the directory (see misfit)
  auto done = st->transact([&](store::Tx& tx) -> Result<void> {
    if (auto ok = tx.activatePolicyVersion(a.version, a.by); !ok) return ok;
    if (a.force) return {};
    auto active = tx.getActivePolicy();
    if (!active) return fail(active.error());
    if (!*active) return {};
    std::vector<engine::PolicySource> sources;
    for (const auto& f : (*active)->files) sources.push_back({f.path, f.text});
    auto set = engine::PolicySet::compile(sources);
    if (!set) why = "version " + std::to_string(a.version) + " does not compile with this mtpctl";
    else why = misfit(*directory, *set);
    // Refused: the transaction rolls back and the active pointer stays where it was.
    if (!why.empty()) return fail(Status::preconditionFailed(why));
    return {};
  });
  if (!done) {
    std::cerr << "mtpctl: policy rollback: " << done.error().text()
              << (why.empty() ? "" : " (replicas would keep the current version; --force moves the pointer anyway)")
              << "\n";
    return done.error().code == Status::Code::kInvalidArgument ? 2 : 1;
  }
  std::cout << "version " << a.version << " active\n";
  return 0;
}

}  // namespace

void addPolicyStoreCommands(CLI::App& policy) {
  auto* p = policy.add_subcommand("push", "Check DIR like `policy check`, store it in the database as a new version and make it active");
  auto pa = std::make_shared<PushArgs>();
  p->add_option("--db", pa->db, "Database URL")->required();
  p->add_option("DIR", pa->dir, "Policy directory")->required();
  p->add_option("--by", pa->by, "Who pushes (default: $USER)");
  p->add_flag("--force", pa->force, "Store it even when an admin holds a role it lacks");
  p->callback([pa] { exitCode() = push(*pa); });

  auto* v = policy.add_subcommand("versions", "List the policy versions in the database, newest first");
  auto db = std::make_shared<std::string>();
  v->add_option("--db", *db, "Database URL")->required();
  v->callback([db] { exitCode() = versions(*db); });

  auto* r = policy.add_subcommand("rollback", "Make an older policy version active again (moves the active pointer)");
  auto ra = std::make_shared<RollbackArgs>();
  r->add_option("--db", ra->db, "Database URL")->required();
  r->add_option("VERSION", ra->version, "The version to make active")->required()->check(CLI::PositiveNumber);
  r->add_option("--by", ra->by, "Who rolls back (default: $USER)");
  r->add_flag("--force", ra->force, "Move the pointer even when an admin holds a role the version lacks");
  r->callback([ra] { exitCode() = rollback(*ra); });
}

}  // namespace mtp::ctl
