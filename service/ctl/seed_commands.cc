#include "seed_commands.h"

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

namespace mtp::ctl {
namespace {

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

// Every bulk row through the store's loader (COPY on PostgreSQL, prepared inserts on SQLite).
Result<void> writeAll(store::BulkLoad& load, const SeedArgs& a, const std::string& tag,
                             const std::string& hash, std::int64_t now, Counts& n,
                             std::vector<std::string>& admin_emails) {
  // Organizations (and a few tags).
  std::vector<std::string> orgs;
  orgs.reserve(a.orgs);
  for (int o = 0; o < a.orgs; ++o) {
    model::OrganizationRecord org;
    org.id = auth::newId();
    orgs.push_back(org.id);
    org.created = now - (730 - (o * 7) % 730) * kDay;
    org.updated = org.created;
    org.name = "Client " + pad(o + 1, 4) + " " + kLast[o % kLast.size()] + " " +
               kCompany[(o / 3) % kCompany.size()];
    if (o % 5 == 4) org.max_system_users = std::max(1, a.users_per_org * 2);
    org.remote_assist = o % 4 == 0;
    if (o % 3 == 0) org.tags.push_back("seed");
    if (o % 10 == 0) org.tags.push_back("tier-gold");
    if (auto ok = load.addOrganization(org); !ok) return ok;
  }
  n.orgs = a.orgs;

  // Admins: #1 admin on every org, #2 help_desk on exactly min(20, orgs) orgs, then mixed.
  struct Grant {
    std::string admin, org;
  };
  std::vector<Grant> grants;
  for (int k = 0; k < a.admins; ++k) {
    model::AdminRecord admin;
    admin.id = auth::newId();
    const std::string& id = admin.id;
    admin.email = "seed-" + tag + "-admin-" + pad(k + 1, 3) + "@msp.example";
    admin_emails.push_back(admin.email);
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
    admin.firstname = kFirst[k % kFirst.size()];
    admin.lastname = kLast[(k * 5) % kLast.size()];
    admin.role_name = role;
    admin.status = status == "pending"     ? model::AdminStatus::kPending
                   : status == "suspended" ? model::AdminStatus::kSuspended
                                           : model::AdminStatus::kActive;
    admin.enable_multi_factor = mfa;
    admin.api_key_allowed = false;
    admin.all_organizations = all;
    admin.created = now - (400 - (k * 11) % 400) * kDay;
    admin.updated = admin.created;
    std::optional<std::string> pw;
    if (status != "pending") pw = hash;
    if (auto ok = load.addAdmin(admin, pw); !ok) return ok;
  }
  n.admins = a.admins;
  // A grant per (admin, org): duplicates (small org counts) are dropped.
  std::sort(grants.begin(), grants.end(),
            [](const Grant& x, const Grant& y) { return std::tie(x.admin, x.org) < std::tie(y.admin, y.org); });
  grants.erase(std::unique(grants.begin(), grants.end(),
                           [](const Grant& x, const Grant& y) { return x.admin == y.admin && x.org == y.org; }),
               grants.end());
  for (const auto& g : grants) {
    if (auto ok = load.addGrant({g.admin, g.org, "", std::nullopt, now - 30 * kDay}); !ok) return ok;
  }
  n.grants = static_cast<std::int64_t>(grants.size());

  // Users of managed orgs.
  std::int64_t g = 0;
  for (int o = 0; o < a.orgs; ++o) {
    for (int u = 0; u < a.users_per_org; ++u, ++g) {
      const int b = bucket(g);
      model::SystemUserRecord user;
      user.id = auth::newId();
      user.org_id = orgs[o];
      user.firstname = kFirst[(g * 7) % kFirst.size()];
      user.lastname = kLast[(g * 11 + o) % kLast.size()];
      user.username = lower(user.firstname) + "." + lower(user.lastname) + pad(u + 1, 3);
      user.email = user.username + "@client" + pad(o + 1, 4) + ".example";
      // 8% STAGED (no password yet; a third with an activation scheduled), 6% SUSPENDED.
      user.state = model::UserState::kActivated;
      if (b < 8) user.state = model::UserState::kStaged;
      else if (b < 14) user.state = model::UserState::kSuspended;
      // 10% created in the past 7 days; the rest over the past two years.
      user.created =
          b >= 90 ? now - (1 + g % 6) * kDay - g % 3600 : now - (8 + (g * 13) % 720) * kDay;
      user.updated = user.created;
      const bool no_password = user.state == model::UserState::kStaged || (b >= 14 && b < 18);
      std::optional<std::string> pw;
      if (!no_password) pw = hash;
      user.account_locked = b >= 20 && b < 24;                  // 4% locked out
      user.password_expired = b >= 24 && b < 26;                // 2% must reset (forced)
      std::optional<std::int64_t> expires;                      // expiry date
      if (b >= 26 && b < 31) expires = now - (1 + g % 20) * kDay;            // 5% expired
      else if (b >= 31 && b < 38) expires = now + (1 + g % 13) * kDay;       // 7% expiring soon
      else if (b >= 38 && b < 70) expires = now + (30 + g % 60) * kDay;      // 32% later
      if (!pw) expires.reset();
      user.password_expiration_date = expires;
      user.failed_logins = user.account_locked ? 5 : (b % 7 == 0 ? 1 : 0);
      if (user.account_locked) user.locked_at = now - (1 + g % 48) * 3600;
      if (pw) user.password_set_at = user.created;
      user.totp_enabled = b % 5 < 3;
      user.sudo = b % 10 == 3 || b % 25 == 7;
      user.passwordless_sudo = b % 25 == 7;
      user.samba_service_user = b % 50 == 11;
      if (user.state == model::UserState::kActivated && b % 50 == 41) {
        user.scheduled_suspension_at = now + (3 + g % 25) * kDay;
      }
      if (user.state == model::UserState::kStaged && b % 3 == 0) {
        user.scheduled_activation_at = now + (1 + g % 10) * kDay;
      }
      if (auto ok = load.addSystemUser(user, pw); !ok) return ok;
    }
  }
  n.users = g;

  // Devices.
  std::int64_t d = 0;
  for (int o = 0; o < a.orgs; ++o) {
    for (int v = 0; v < a.devices_per_org; ++v, ++d) {
      const int b = bucket(d + 3);
      const Os& os = kOs[(d * 5 + o) % kOs.size()];
      model::DeviceRecord device;
      device.id = auth::newId();
      device.org_id = orgs[o];
      device.display_name = std::string(os.prefix) + pad(o + 1, 4) + "-" + pad(v + 1, 3);
      device.hostname = lower(device.display_name);
      device.os = os.os;
      device.os_family = os.family;
      device.version = os.version;
      // 70% seen in the last hour (active), 16% 1–7 days ago, 12% more than 7 days ago,
      // 2% never checked in.
      if (b < 70) {
        device.last_contact = now - (d * 17) % 3600;
        device.active = true;
        device.uptime_seconds = 600 + (d * 7919) % (45 * kDay);
      } else if (b < 86) {
        device.last_contact = now - (1 + d % 6) * kDay - d % 3600;
        device.uptime_seconds = (d * 104729) % (20 * kDay);
      } else if (b < 98) {
        device.last_contact = now - (8 + d % 80) * kDay;
        device.uptime_seconds = (d * 104729) % (60 * kDay);
      }
      device.remote_assist = b % 20 == 1;
      device.created = device.last_contact ? *device.last_contact - (10 + d % 500) * kDay
                                           : now - (d % 5) * kDay;
      if (auto ok = load.addDevice(device, auth::randomHex(32)); !ok) return ok;
    }
  }
  n.devices = d;
  return load.commit();
}

int seed(const SeedArgs& a) {
  const auto started = std::chrono::steady_clock::now();
  auth::ensureSodium();
  const std::string password = a.owner_password.empty() ? service::generatePassword() : a.owner_password;
  if (auto bad = auth::checkPasswordPolicy(password)) {
    std::cerr << "mtpctl: --owner-password: " << *bad << "\n";
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
  const model::TenantScope scope{made->provider_id};
  auto creds = store->query([&](store::Tx& tx) { return tx.getAdminCredentials(scope, made->admin_id); });
  if (!creds || !creds->password_hash) {
    std::cerr << "mtpctl: seed: cannot read the owner's password hash back\n";
    return 1;
  }
  const std::string hash = *creds->password_hash;

  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  auto load = store->bulkLoad(scope);
  store.reset();
  Counts n;
  std::vector<std::string> emails;
  if (auto ok = writeAll(*load, a, tag, hash, now, n, emails); !ok) {
    std::cerr << "mtpctl: seed: " << ok.error().text() << " (nothing seeded; provider "
              << made->provider_id << " and its owner exist)\n";
    return 1;
  }
  if (auto ok = load->analyze(); !ok) {
    std::cerr << "mtpctl: seed: VACUUM ANALYZE: " << ok.error().text() << "\n";
  }
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
