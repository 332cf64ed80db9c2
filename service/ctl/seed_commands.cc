#include "seed_commands.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "auth/password.h"
#include "auth/random.h"
#include "main/bootstrap.h"
#include "ctl_store.h"
#include "policy_commands.h"
#include "store/store.h"
#include "store/util.h"

namespace mtp::ctl {
namespace {

// ------------------------------------------------------------------ values and sinks

// One column value, typed so that each dialect writes it as the store does: times are
// TIMESTAMPTZ on PostgreSQL and INTEGER seconds on SQLite; booleans t/f and 0/1.
struct Val {
  enum class Kind { kNull, kText, kInt, kBool, kTime };
  Kind kind = Kind::kNull;
  std::string text;
  std::int64_t num = 0;
};
Val null() { return {}; }
Val text(std::string s) { return {Val::Kind::kText, std::move(s), 0}; }
Val integer(std::int64_t n) { return {Val::Kind::kInt, {}, n}; }
Val boolean(bool b) { return {Val::Kind::kBool, {}, b ? 1 : 0}; }
Val time(std::int64_t t) { return {Val::Kind::kTime, {}, t}; }
Val optTime(std::optional<std::int64_t> t) { return t ? time(*t) : null(); }
Val optText(const std::optional<std::string>& s) { return s ? text(*s) : null(); }

// Where the rows go: one transaction; rows table by table.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual bool begin() = 0;
  virtual bool table(const std::string& name, const std::vector<std::string>& columns) = 0;
  virtual bool row(const std::vector<Val>& values) = 0;
  virtual bool endTable() = 0;
  virtual bool commit() = 0;
  // After the commit: bring the planner's statistics up to date.
  virtual bool finish() { return true; }
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

// PostgreSQL: COPY ... FROM STDIN in text format, streamed in ~1 MiB chunks.
class PgSink final : public Sink {
 public:
  explicit PgSink(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {}
  ~PgSink() override {
    if (conn_) PQfinish(conn_);  // without COMMIT, the server rolls the transaction back
  }

  bool begin() override {
    if (PQstatus(conn_) != CONNECTION_OK) return fail(PQerrorMessage(conn_));
    return exec("SET TIME ZONE 'UTC'") && exec("BEGIN");
  }

  bool table(const std::string& name, const std::vector<std::string>& columns) override {
    std::string q = "COPY " + name + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) q += (i ? ", " : "") + columns[i];
    q += ") FROM STDIN";
    PGresult* r = PQexec(conn_, q.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok) fail(PQresultErrorMessage(r));
    PQclear(r);
    buf_.clear();
    return ok;
  }

  bool row(const std::vector<Val>& values) override {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) buf_ += '\t';
      const Val& v = values[i];
      switch (v.kind) {
        case Val::Kind::kNull: buf_ += "\\N"; break;
        case Val::Kind::kText: escape(v.text); break;
        case Val::Kind::kInt: buf_ += std::to_string(v.num); break;
        case Val::Kind::kBool: buf_ += v.num ? 't' : 'f'; break;
        case Val::Kind::kTime: timestamp(v.num); break;
      }
    }
    buf_ += '\n';
    return buf_.size() < (1u << 20) || flush();
  }

  bool endTable() override {
    if (!flush()) return false;
    if (PQputCopyEnd(conn_, nullptr) != 1) return fail(PQerrorMessage(conn_));
    bool ok = true;
    while (PGresult* r = PQgetResult(conn_)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) ok = fail(PQresultErrorMessage(r));
      PQclear(r);
    }
    return ok;
  }

  bool commit() override { return exec("COMMIT"); }

  // What autovacuum does after a bulk insert, at once: statistics for the planner and the
  // visibility map (so COUNT(*) over a provider's rows is an index-only scan).
  bool finish() override {
    return exec("VACUUM (ANALYZE) organizations, organization_tags, admins, admin_org_grants, "
                "system_users, devices");
  }

 private:
  bool fail(const char* message) {
    error_ = message ? message : "unknown PostgreSQL error";
    while (!error_.empty() && (error_.back() == '\n' || error_.back() == ' ')) error_.pop_back();
    return false;
  }
  bool exec(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) fail(PQresultErrorMessage(r));
    PQclear(r);
    return ok;
  }
  bool flush() {
    if (buf_.empty()) return true;
    if (PQputCopyData(conn_, buf_.data(), static_cast<int>(buf_.size())) != 1) {
      return fail(PQerrorMessage(conn_));
    }
    buf_.clear();
    return true;
  }
  void escape(const std::string& s) {
    for (char c : s) {
      switch (c) {
        case '\\': buf_ += "\\\\"; break;
        case '\t': buf_ += "\\t"; break;
        case '\n': buf_ += "\\n"; break;
        case '\r': buf_ += "\\r"; break;
        default: buf_ += c;
      }
    }
  }
  void timestamp(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d:%02d+00", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    buf_ += out;
  }

  PGconn* conn_;
  std::string buf_;
};

// SQLite: one prepared INSERT per table, reset and re-bound per row.
class SqliteSink final : public Sink {
 public:
  explicit SqliteSink(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      error_ = db_ ? sqlite3_errmsg(db_) : "cannot open the SQLite database";
    }
  }
  ~SqliteSink() override {
    if (stmt_) sqlite3_finalize(stmt_);
    if (db_) sqlite3_close(db_);  // an open transaction is rolled back
  }

  bool begin() override {
    if (!error_.empty()) return false;
    sqlite3_busy_timeout(db_, 5000);
    return exec("PRAGMA foreign_keys = ON") && exec("BEGIN IMMEDIATE");
  }

  bool table(const std::string& name, const std::vector<std::string>& columns) override {
    std::string q = "INSERT INTO " + name + " (";
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      q += (i ? ", " : "") + columns[i];
      marks += i ? ", ?" : "?";
    }
    q += ") VALUES (" + marks + ")";
    if (sqlite3_prepare_v2(db_, q.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) return fail();
    return true;
  }

  bool row(const std::vector<Val>& values) override {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const Val& v = values[i];
      int rc = SQLITE_OK;
      switch (v.kind) {
        case Val::Kind::kNull: rc = sqlite3_bind_null(stmt_, at); break;
        case Val::Kind::kText:
          rc = sqlite3_bind_text(stmt_, at, v.text.data(), static_cast<int>(v.text.size()),
                                 SQLITE_TRANSIENT);
          break;
        case Val::Kind::kInt:
        case Val::Kind::kBool:
        case Val::Kind::kTime: rc = sqlite3_bind_int64(stmt_, at, v.num); break;
      }
      if (rc != SQLITE_OK) return fail();
    }
    if (sqlite3_step(stmt_) != SQLITE_DONE) return fail();
    sqlite3_reset(stmt_);
    return true;
  }

  bool endTable() override {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    return true;
  }

  bool commit() override { return exec("COMMIT"); }

 private:
  bool fail() {
    error_ = sqlite3_errmsg(db_);
    return false;
  }
  bool exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      error_ = msg ? msg : "sqlite error";
      sqlite3_free(msg);
      return false;
    }
    return true;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// ------------------------------------------------------------------ the data

constexpr std::int64_t kDay = 86400;

const std::array<const char*, 24> kFirst = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
    "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
    "Thomas", "Sarah", "Carlos", "Karen", "Wei", "Aisha", "Lars", "Sofia"};
const std::array<const char*, 24> kLast = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Nguyen", "Schmidt", "Rossi"};
const std::array<const char*, 16> kCompany = {
    "Dental", "Logistics", "Law Group", "Bakery", "Architects", "Clinic", "Motors", "Realty",
    "Accounting", "Brewing", "Consulting", "Pharmacy", "Studios", "Builders", "Insurance",
    "Veterinary"};

struct Os {
  const char* os;
  const char* family;
  const char* version;
  const char* prefix;
};
const std::array<Os, 9> kOs = {{{"Windows", "windows", "11 Pro 23H2", "DESKTOP-"},
                                {"Windows", "windows", "10 Pro 22H2", "LAPTOP-"},
                                {"Mac OS X", "darwin", "14.5", "MacBook-Pro-"},
                                {"Windows", "windows", "11 Enterprise 24H2", "WS-"},
                                {"Mac OS X", "darwin", "13.6.7", "iMac-"},
                                {"Ubuntu", "linux", "22.04", "ubuntu-"},
                                {"Windows Server", "windows", "2022 Standard", "SRV-"},
                                {"Ubuntu", "linux", "24.04", "dev-"},
                                {"Debian", "linux", "12", "build-"}}};

// The mixed roles of admins after the first two.
const std::array<const char*, 8> kRoles = {"manager",   "help_desk", "read_only",
                                           "command_runner", "admin", "command_runner_billing",
                                           "billing_only", "admin_billing"};

// A spread of patterns without randomness: for n consecutive items, (n * 37) % 100 takes
// every value 0..99 once per 100 items, so proportions are exact and tests can rely on them.
int bucket(std::int64_t n) { return static_cast<int>((n * 37) % 100); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string pad(std::int64_t n, int width) {
  std::string s = std::to_string(n);
  return s.size() >= static_cast<std::size_t>(width) ? s : std::string(width - s.size(), '0') + s;
}

struct SeedArgs {
  std::string db;
  int orgs = 10;
  int users_per_org = 10;
  int devices_per_org = 5;
  int admins = 2;
  std::string provider_name = "Scale MSP";
  std::string owner_password;
  std::string owner_email;
};

struct Counts {
  std::int64_t orgs = 0, users = 0, devices = 0, admins = 0, grants = 0;
};

bool writeAll(Sink& sink, const SeedArgs& a, const std::string& pid, const std::string& tag,
              const std::string& hash, std::int64_t now, Counts& n,
              std::vector<std::string>& admin_emails) {
  if (!sink.begin()) return false;

  // Organizations (and a few tags).
  std::vector<std::string> orgs;
  orgs.reserve(a.orgs);
  if (!sink.table("organizations", {"id", "provider_id", "name", "max_system_users",
                                    "remote_assist", "created", "updated"})) {
    return false;
  }
  for (int o = 0; o < a.orgs; ++o) {
    orgs.push_back(auth::newId());
    const std::int64_t created = now - (730 - (o * 7) % 730) * kDay;
    const std::string name = "Client " + pad(o + 1, 4) + " " + kLast[o % kLast.size()] + " " +
                             kCompany[(o / 3) % kCompany.size()];
    if (!sink.row({text(orgs.back()), text(pid), text(name),
                   o % 5 == 4 ? integer(std::max(1, a.users_per_org * 2)) : null(),
                   boolean(o % 4 == 0), time(created), time(created)})) {
      return false;
    }
  }
  if (!sink.endTable()) return false;
  n.orgs = a.orgs;
  if (!sink.table("organization_tags", {"provider_id", "org_id", "tag"})) return false;
  for (int o = 0; o < a.orgs; ++o) {
    if (o % 3 == 0 && !sink.row({text(pid), text(orgs[o]), text("seed")})) return false;
    if (o % 10 == 0 && !sink.row({text(pid), text(orgs[o]), text("tier-gold")})) return false;
  }
  if (!sink.endTable()) return false;

  // Admins: #1 admin on every org, #2 help_desk on exactly min(20, orgs) orgs, then mixed.
  struct Grant {
    std::string admin, org;
  };
  std::vector<Grant> grants;
  if (!sink.table("admins", {"id", "provider_id", "email", "firstname", "lastname", "role_name",
                             "status", "enable_multi_factor", "api_key_allowed",
                             "all_organizations", "password_hash", "created", "updated"})) {
    return false;
  }
  for (int k = 0; k < a.admins; ++k) {
    const std::string id = auth::newId();
    const std::string email = "seed-" + tag + "-admin-" + pad(k + 1, 3) + "@msp.example";
    admin_emails.push_back(email);
    std::string role = "admin";
    bool all = false, mfa = false;
    std::string status = "active";
    if (k == 0) {
      all = true;
    } else if (k == 1) {
      role = "help_desk";
      const int want = std::min(20, a.orgs);
      for (int g = 0; g < want; ++g) grants.push_back({id, orgs[(g * a.orgs) / want]});
    } else {
      role = kRoles[(k - 2) % kRoles.size()];
      mfa = k % 3 == 0;
      if (k % 10 == 9) status = "pending";
      if (k % 13 == 12) status = "suspended";
      if (k % 7 == 6) {
        all = true;
      } else if (a.orgs > 0) {
        const int count = std::min(1 + k % 3, a.orgs);
        for (int g = 0; g < count; ++g) {
          grants.push_back({id, orgs[(k * 31 + g * (a.orgs / count + 1)) % a.orgs]});
        }
      }
    }
    const std::int64_t created = now - (400 - (k * 11) % 400) * kDay;
    if (!sink.row({text(id), text(pid), text(email), text(kFirst[k % kFirst.size()]),
                   text(kLast[(k * 5) % kLast.size()]), text(role), text(status), boolean(mfa),
                   boolean(false), boolean(all),
                   status == "pending" ? null() : text(hash), time(created), time(created)})) {
      return false;
    }
  }
  if (!sink.endTable()) return false;
  n.admins = a.admins;
  // A grant per (admin, org): duplicates (small org counts) are dropped.
  std::sort(grants.begin(), grants.end(),
            [](const Grant& x, const Grant& y) { return std::tie(x.admin, x.org) < std::tie(y.admin, y.org); });
  grants.erase(std::unique(grants.begin(), grants.end(),
                           [](const Grant& x, const Grant& y) { return x.admin == y.admin && x.org == y.org; }),
               grants.end());
  if (!sink.table("admin_org_grants", {"provider_id", "admin_id", "org_id", "role_name",
                                       "expires_at", "created"})) {
    return false;
  }
  for (const auto& g : grants) {
    if (!sink.row({text(pid), text(g.admin), text(g.org), null(), null(), time(now - 30 * kDay)})) {
      return false;
    }
  }
  if (!sink.endTable()) return false;
  n.grants = static_cast<std::int64_t>(grants.size());

  // Users of managed orgs.
  if (!sink.table("system_users",
                  {"id", "provider_id", "org_id", "username", "email", "firstname", "lastname",
                   "state", "password_hash", "account_locked", "failed_logins", "locked_at",
                   "password_set_at", "password_expiration_date", "password_expired",
                   "totp_enabled", "sudo", "passwordless_sudo", "samba_service_user",
                   "scheduled_suspension_at", "scheduled_activation_at", "created", "updated"})) {
    return false;
  }
  std::int64_t g = 0;
  for (int o = 0; o < a.orgs; ++o) {
    for (int u = 0; u < a.users_per_org; ++u, ++g) {
      const int b = bucket(g);
      const std::string first = kFirst[(g * 7) % kFirst.size()];
      const std::string last = kLast[(g * 11 + o) % kLast.size()];
      const std::string username = lower(first) + "." + lower(last) + pad(u + 1, 3);
      const std::string email = username + "@client" + pad(o + 1, 4) + ".example";
      // 8% STAGED (no password yet; a third with an activation scheduled), 6% SUSPENDED.
      std::string state = "ACTIVATED";
      if (b < 8) state = "STAGED";
      else if (b < 14) state = "SUSPENDED";
      // 10% created in the past 7 days; the rest over the past two years.
      const std::int64_t created =
          b >= 90 ? now - (1 + g % 6) * kDay - g % 3600 : now - (8 + (g * 13) % 720) * kDay;
      const bool no_password = state == "STAGED" || (b >= 14 && b < 18);
      std::optional<std::string> pw;
      if (!no_password) pw = hash;
      const bool locked = b >= 20 && b < 24;                     // 4% locked out
      const bool forced = b >= 24 && b < 26;                     // 2% must reset
      std::optional<std::int64_t> expires;                       // expiry date
      if (b >= 26 && b < 31) expires = now - (1 + g % 20) * kDay;            // 5% expired
      else if (b >= 31 && b < 38) expires = now + (1 + g % 13) * kDay;       // 7% expiring soon
      else if (b >= 38 && b < 70) expires = now + (30 + g % 60) * kDay;      // 32% later
      if (!pw) expires.reset();
      const bool sudo = b % 10 == 3 || b % 25 == 7;
      const bool passwordless = b % 25 == 7;
      const bool samba = b % 50 == 11;
      std::optional<std::int64_t> suspend_at, activate_at;
      if (state == "ACTIVATED" && b % 50 == 41) suspend_at = now + (3 + g % 25) * kDay;
      if (state == "STAGED" && b % 3 == 0) activate_at = now + (1 + g % 10) * kDay;
      if (!sink.row({text(auth::newId()), text(pid), text(orgs[o]), text(username), text(email),
                     text(first), text(last), text(state), optText(pw), boolean(locked),
                     integer(locked ? 5 : (b % 7 == 0 ? 1 : 0)),
                     locked ? time(now - (1 + g % 48) * 3600) : null(),
                     pw ? time(created) : null(), optTime(expires), boolean(forced),
                     boolean(b % 5 < 3), boolean(sudo), boolean(passwordless), boolean(samba),
                     optTime(suspend_at), optTime(activate_at), time(created), time(created)})) {
        return false;
      }
    }
  }
  if (!sink.endTable()) return false;
  n.users = g;

  // Devices.
  if (!sink.table("devices", {"id", "provider_id", "org_id", "display_name", "hostname", "os",
                              "os_family", "version", "active", "last_contact", "uptime_seconds",
                              "remote_assist", "device_key_hash", "created"})) {
    return false;
  }
  std::int64_t d = 0;
  for (int o = 0; o < a.orgs; ++o) {
    for (int v = 0; v < a.devices_per_org; ++v, ++d) {
      const int b = bucket(d + 3);
      const Os& os = kOs[(d * 5 + o) % kOs.size()];
      const std::string name = std::string(os.prefix) + pad(o + 1, 4) + "-" + pad(v + 1, 3);
      // 70% seen in the last hour (active), 16% 1–7 days ago, 12% more than 7 days ago,
      // 2% never checked in.
      std::optional<std::int64_t> last;
      bool active = false;
      std::int64_t uptime = 0;
      if (b < 70) {
        last = now - (d * 17) % 3600;
        active = true;
        uptime = 600 + (d * 7919) % (45 * kDay);
      } else if (b < 86) {
        last = now - (1 + d % 6) * kDay - d % 3600;
        uptime = (d * 104729) % (20 * kDay);
      } else if (b < 98) {
        last = now - (8 + d % 80) * kDay;
        uptime = (d * 104729) % (60 * kDay);
      }
      const std::int64_t created = last ? *last - (10 + d % 500) * kDay : now - (d % 5) * kDay;
      if (!sink.row({text(auth::newId()), text(pid), text(orgs[o]), text(name),
                     text(lower(name)), text(os.os), text(os.family), text(os.version),
                     boolean(active), optTime(last), integer(uptime), boolean(b % 20 == 1),
                     text(auth::randomHex(32)), time(created)})) {
        return false;
      }
    }
  }
  if (!sink.endTable()) return false;
  n.devices = d;
  return sink.commit();
}

int seed(const SeedArgs& a) {
  const auto started = std::chrono::steady_clock::now();
  auth::ensureSodium();
  const std::string password = a.owner_password.empty() ? service::generatePassword() : a.owner_password;
  if (auto bad = auth::checkPasswordPolicy(password)) {
    std::cerr << "mtpctl: --owner-password: " << *bad << "\n";
    return 2;
  }
  auto spec = store::detail::parseConnectUrl(a.db, 10);
  if (!spec) {
    std::cerr << "mtpctl: --db: " << spec.error().message << "\n";
    return 2;
  }
  int rc = 0;
  auto store = openCurrentStore(a.db, rc);
  if (!store) return rc;

  // The provider and its owner, as `mtpctl provider create` makes them (one argon2id hash).
  const std::string tag = auth::randomHex(3);
  service::ProviderOwnerSpec owner;
  owner.provider_name = a.provider_name;
  owner.owner_email = a.owner_email.empty() ? "seed-" + tag + "-owner@msp.example" : a.owner_email;
  owner.owner_password = password;
  owner.owner_lastname = "Seed";
  auth::PasswordHasher hasher;
  auto made = service::createProviderWithOwner(*store, hasher, owner);
  if (!made) {
    std::cerr << "mtpctl: seed: " << made.error() << "\n";
    return 1;
  }
  const store::TenantScope scope{made->provider_id};
  auto creds = store->query([&](store::Tx& tx) { return tx.getAdminCredentials(scope, made->admin_id); });
  if (!creds || !creds->password_hash) {
    std::cerr << "mtpctl: seed: cannot read the owner's password hash back\n";
    return 1;
  }
  const std::string hash = *creds->password_hash;
  store.reset();

  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  std::unique_ptr<Sink> sink;
  if (spec->backend == store::detail::Backend::kPostgres) {
    sink = std::make_unique<PgSink>(spec->soci_connect);
  } else {
    std::string_view path = std::string_view(a.db).substr(7);  // as parseConnectUrl
    if (path.starts_with("//")) path.remove_prefix(2);
    sink = std::make_unique<SqliteSink>(std::string(path));
  }
  Counts n;
  std::vector<std::string> emails;
  if (!writeAll(*sink, a, made->provider_id, tag, hash, now, n, emails)) {
    std::cerr << "mtpctl: seed: " << sink->error() << " (nothing seeded; provider "
              << made->provider_id << " and its owner exist)\n";
    return 1;
  }
  if (!sink->finish()) std::cerr << "mtpctl: seed: VACUUM ANALYZE: " << sink->error() << "\n";
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "provider=" << made->provider_id << "\n"
            << "owner_email=" << owner.owner_email << "\n"
            << "password=" << password << "\n"
            << "admin_all_orgs=" << (emails.size() > 0 ? emails[0] : "") << "\n"
            << "admin_20_orgs=" << (emails.size() > 1 ? emails[1] : "") << "\n"
            << "orgs=" << n.orgs << "\nusers=" << n.users << "\ndevices=" << n.devices
            << "\nadmins=" << n.admins << "\ngrants=" << n.grants << "\nseconds=" << seconds
            << std::endl;
  std::cerr << "mtpctl: seeded provider \"" << a.provider_name << "\": " << n.orgs << " orgs, "
            << n.users << " users, " << n.devices << " devices, " << n.admins << " admins ("
            << n.grants << " org grants) in " << seconds
            << " s; a running mtpd sees them after SIGHUP\n";
  return 0;
}

}  // namespace

void addSeedCommands(CLI::App& app) {
  auto args = std::make_shared<SeedArgs>();
  auto* s = app.add_subcommand("seed", "Load tests: add one provider with many orgs, users, devices and admins");
  s->add_option("--db", args->db, "sqlite:PATH or postgresql://...")->required()->envname("MTP_DB");
  s->add_option("--orgs", args->orgs, "Organizations")->check(CLI::Range(0, 1000000))->capture_default_str();
  s->add_option("--users-per-org", args->users_per_org, "Users in each org")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  s->add_option("--devices-per-org", args->devices_per_org, "Devices in each org")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  s->add_option("--admins", args->admins, "Administrators besides the owner")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  s->add_option("--provider-name", args->provider_name, "The new provider's name")->capture_default_str();
  s->add_option("--owner-email", args->owner_email, "The owner's email (default: generated)");
  s->add_option("--owner-password", args->owner_password,
                "Every seeded password (default: generated and printed; or env MTP_OWNER_PASSWORD)")
      ->envname("MTP_OWNER_PASSWORD");
  s->callback([args] { exitCode() = seed(*args); });
}

}  // namespace mtp::ctl
