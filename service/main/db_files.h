// The SQLite database holds TOTP secrets and password hashes: its files are the owner's only
// (issue 10 item 8). Called before the store opens a `sqlite:` URL (mtpd, mtpd migrate, mtpctl):
// creates the database file 0600 when it does not exist yet (SQLite then creates its -wal and
// -shm files with the database file's mode) and narrows an existing database, -wal and -shm to
// 0600. Any other URL: nothing to do.
#pragma once

#include <string>

namespace mtp::service {

// An empty string, or what could not be done ("chmod /x/mtp.db: Operation not permitted").
std::string restrictSqliteFiles(const std::string& db_url);

}  // namespace mtp::service
