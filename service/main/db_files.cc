#include "main/db_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace mtp::service {

std::string restrictSqliteFiles(const std::string& db_url) {
  std::string_view path = db_url;
  if (!path.starts_with("sqlite:")) return {};
  path.remove_prefix(7);
  if (path.starts_with("//")) path.remove_prefix(2);  // sqlite://PATH, as the store reads it
  if (path.empty() || path == ":memory:") return {};
  const std::string db(path);
  // O_EXCL: an existing file is left to the chmod below, never truncated.
  const int fd = ::open(db.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return "create " + db + ": " + std::strerror(errno);
  }
  for (const std::string& f : {db, db + "-wal", db + "-shm", db + "-journal"}) {
    struct stat st{};
    if (::stat(f.c_str(), &st) != 0) continue;  // -wal, -shm and -journal come and go
    if ((st.st_mode & 0077) == 0) continue;
    if (::chmod(f.c_str(), st.st_mode & 0700) != 0) return "chmod " + f + ": " + std::strerror(errno);
  }
  return {};
}

}  // namespace mtp::service
