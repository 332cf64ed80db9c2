// Issue 10 item 8 over real HTTP on loopback: the SQLite database and its WAL/SHM are created
// 0600 (and an existing 0644 one is narrowed), /readyz answers 503 until startup has finished,
// and a malformed Content-Length (`-1`, 20 digits, split over two reads) answers 400 JSON and
// closes the connection instead of Pistache's 500 with exception text.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "auth/random.h"
#include "main/db_files.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using namespace std::chrono_literals;

std::filesystem::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? d : std::filesystem::current_path();
}

unsigned modeOf(const std::filesystem::path& p) {
  struct stat st{};
  if (::stat(p.c_str(), &st) != 0) return 07777;
  return st.st_mode & 0777;
}

// Sends `parts` (pausing between them so that each arrives in its own read) and reads until the
// server closes the connection or 5 s pass. `closed` tells which.
std::string rawExchange(std::uint16_t port, const std::vector<std::string>& parts, bool& closed) {
  closed = false;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {};
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) std::this_thread::sleep_for(100ms);
    (void)::send(fd, parts[i].data(), parts[i].size(), MSG_NOSIGNAL);
  }
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

class StartupHardeningTest : public ServiceTest {};

TEST_P(StartupHardeningTest, SqliteFilesAreTheOwnersOnly) {
  if (postgres()) GTEST_SKIP() << "PostgreSQL keeps its files itself";
  const std::filesystem::path db = databaseUrl().substr(std::string("sqlite:").size());
  // Something written, so that the WAL and its index exist.
  createProvider("MSP");
  ASSERT_TRUE(std::filesystem::exists(db));
  EXPECT_EQ(modeOf(db), 0600u);
  for (const char* suffix : {"-wal", "-shm"}) {
    const auto f = db.string() + suffix;
    if (std::filesystem::exists(f)) {
      EXPECT_EQ(modeOf(f), 0600u) << f;
    }
  }
  EXPECT_TRUE(std::filesystem::exists(db.string() + "-wal"));
}

TEST_P(StartupHardeningTest, AnExistingWorldReadableDatabaseIsNarrowed) {
  if (postgres()) GTEST_SKIP() << "SQLite only";
  const auto dir = std::filesystem::temp_directory_path() / ("mtp-files-" + auth::randomHex(6));
  std::filesystem::create_directories(dir);
  const auto db = dir / "old.db";
  for (const auto& f : {db.string(), db.string() + "-wal"}) {
    const int fd = ::open(f.c_str(), O_WRONLY | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    ::close(fd);
    ::chmod(f.c_str(), 0644);
  }
  EXPECT_EQ(service::restrictSqliteFiles("sqlite:" + db.string()), "");
  EXPECT_EQ(modeOf(db), 0600u);
  EXPECT_EQ(modeOf(db.string() + "-wal"), 0600u);
  // A new one is created 0600 before SQLite opens it.
  EXPECT_EQ(service::restrictSqliteFiles("sqlite:" + (dir / "new.db").string()), "");
  EXPECT_EQ(modeOf(dir / "new.db"), 0600u);
  EXPECT_EQ(service::restrictSqliteFiles("postgresql://u@127.0.0.1/x"), "");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST_P(StartupHardeningTest, ReadyzAnswers503UntilStartupHasFinished) {
  // The fixture's mtpd is ready at start (tests seed the store themselves).
  EXPECT_EQ(call("GET", "/readyz").status, 200);
  // mtpd's main starts with ready_at_start = false and marks it ready after the bootstrap.
  const auto dir = std::filesystem::temp_directory_path() / ("mtp-ready-" + auth::randomHex(6));
  std::filesystem::create_directories(dir);
  service::MtpdOptions o;
  o.db = "sqlite:" + (dir / "mtp.db").string();
  o.listen = "127.0.0.1:0";
  o.threads = 1;
  o.policies = (sourceDir() / "policies" / "builtin").string();
  o.jwt_key_file = (dir / "jwt.key").string();
  o.ready_at_start = false;
  auto m = service::Mtpd::start(o);
  ASSERT_TRUE(m.has_value()) << m.error();
  HttpClient c((*m)->port());
  auto r = c.request("GET", "/readyz");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("starting"), std::string::npos) << r.body;
  EXPECT_EQ(c.request("GET", "/healthz").status, 200);  // alive, not ready
  (*m)->markReady();
  EXPECT_EQ(c.request("GET", "/readyz").status, 200);
  (*m)->stop();
  m->reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST_P(StartupHardeningTest, MalformedContentLengthAnswers400AndCloses) {
  const std::string head = "POST /api/v2/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  for (const std::vector<std::string>& parts :
       {std::vector<std::string>{head + "Content-Length: -1\r\n\r\n{}"},
        std::vector<std::string>{head + "Content-Length: 99999999999999999999\r\n\r\n{}"},
        std::vector<std::string>{head + "content-length: 12abc\r\n\r\n{}"},
        std::vector<std::string>{head + "Content-Le", "ngth: 99999999999999999999\r\n\r\n{}"}}) {
    bool closed = false;
    const std::string out = rawExchange(port(), parts, closed);
    EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
    EXPECT_NE(out.find(R"("code":"invalid_argument")"), std::string::npos) << out;
    EXPECT_NE(out.find("Content-Length"), std::string::npos) << out;
    EXPECT_EQ(out.find("stol"), std::string::npos) << out;
    EXPECT_EQ(out.find("stoul"), std::string::npos) << out;
    EXPECT_TRUE(closed) << "the connection was left open";
  }
  // A body is not headers: a line in it that reads as a bad Content-Length is the JSON
  // reader's to refuse, and the kept-alive connection serves the next request.
  bool closed = false;
  const std::string body = "{\r\nContent-Length: -1\r\n}";
  const std::string post = "POST /api/v2/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           "Connection: keep-alive\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  const std::string out =
      rawExchange(port(), {post, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"}, closed);
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_EQ(out.find("malformed Content-Length"), std::string::npos) << out;
  EXPECT_NE(out.find("HTTP/1.1 200"), std::string::npos) << out;
}

MTP_SERVICE_BACKENDS(StartupHardeningTest);

}  // namespace
}  // namespace mtp::testing
