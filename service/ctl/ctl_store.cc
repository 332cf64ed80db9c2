#include "ctl_store.h"

#include <iostream>

#include "main/db_files.h"

namespace mtp::ctl {

std::unique_ptr<store::Store> openCurrentStore(const std::string& url, int& rc) {
  // Issue 10 item 8: the SQLite files are the owner's only (main/db_files.h).
  if (auto bad = service::restrictSqliteFiles(url); !bad.empty()) {
    std::cerr << "mtpctl: database: " << bad << "\n";
    rc = 1;
    return nullptr;
  }
  store::StoreOptions so;
  so.url = url;
  so.pool_size = 1;
  auto s = store::openStore(so);
  if (!s) {
    std::cerr << "mtpctl: database: " << s.error().text() << "\n";
    rc = s.error().code == Status::Code::kInvalidArgument ? 2 : 1;
    return nullptr;
  }
  auto v = (*s)->schemaVersion();
  if (!v) {
    std::cerr << "mtpctl: database: " << v.error().text() << "\n";
    rc = 1;
    return nullptr;
  }
  if (*v != store::Store::knownSchemaVersion()) {
    std::cerr << "mtpctl: database schema is at version " << *v << ", this mtpctl knows "
              << store::Store::knownSchemaVersion()
              << (*v < store::Store::knownSchemaVersion() ? ": run `mtpd migrate --db URL` first\n"
                                                          : ": use a newer mtpctl\n");
    rc = 1;
    return nullptr;
  }
  return std::move(*s);
}

}  // namespace mtp::ctl
