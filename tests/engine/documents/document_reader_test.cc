// Directory and request documents (mtp/engine/documents.h): what `mtpctl authorize` and the
// policy test files read. Valid documents decode completely; every problem is a diagnostic
// located at `file:line:col`; no input, however broken, crashes or throws.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "mtp/engine/documents.h"
#include "test_support.h"

namespace mtp::engine {
namespace {

using testing::joinDiagnostics;

constexpr UnixTime kDefaultTime = 1795334400;  // 2026-11-22T08:00:00Z

// The diagnostics of a document that must not decode; fails the test if it decodes.
Diagnostics directoryErrors(std::string_view text) {
  auto r = parseDirectoryDocument("dir.json", text);
  EXPECT_FALSE(r.has_value()) << "decoded: " << text;
  return r ? Diagnostics{} : r.error();
}

Diagnostics requestErrors(std::string_view text) {
  auto r = parseRequestDocument("req.json", text, kDefaultTime);
  EXPECT_FALSE(r.has_value()) << "decoded: " << text;
  return r ? Diagnostics{} : r.error();
}

// True if some diagnostic has this code at this position (line and column, 1-based).
bool hasAt(const Diagnostics& ds, std::string_view code, int line, int column) {
  for (const auto& d : ds)
    if (d.code == code && d.line == line && d.column == column) return true;
  return false;
}

bool hasCode(const Diagnostics& ds, std::string_view code) {
  for (const auto& d : ds)
    if (d.code == code) return true;
  return false;
}

const char* const kDirectory = R"({
  "providers": [
    {"id": "msp1", "name": "MSP One", "requireAdminMFA": true,
     "organizations": [
       {"id": "o1", "name": "Acme", "tags": ["vip", "change-freeze"]},
       {"id": "o2"}
     ]},
    {"id": "msp2"}
  ],
  "admins": [
    {"id": "a1", "provider": "msp1", "email": "a1@msp.example", "firstname": "Ada",
     "lastname": "Lovelace", "roleName": "manager", "status": "suspended",
     "enableMultiFactor": true, "apiKeyAllowed": true, "allOrganizations": false,
     "organizations": [
       {"id": "o1"},
       {"id": "o2", "roleName": "read_only", "expiresAt": "2026-12-01T00:00:00Z"}
     ]},
    {"id": "a2", "provider": "msp2", "roleName": "admin_billing", "status": "pending"},
    {"id": "a3", "provider": "msp1", "roleName": "help_desk", "status": "active",
     "allOrganizations": true}
  ]
})";

// ---------------------------------------------------------------------------------------------
// Directory documents

TEST(DirectoryDocument, DecodesEveryField) {
  auto r = parseDirectoryDocument("dir.json", kDirectory);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  const DirectoryData& d = *r;
  ASSERT_EQ(d.providers.size(), 2u);
  EXPECT_EQ(d.providers[0].id, "msp1");
  EXPECT_TRUE(d.providers[0].require_admin_mfa);
  ASSERT_EQ(d.providers[0].organizations.size(), 2u);
  EXPECT_EQ(d.providers[0].organizations[0].id, "o1");
  EXPECT_EQ(d.providers[0].organizations[0].name, "Acme");
  EXPECT_EQ(d.providers[0].organizations[0].tags,
            (std::vector<std::string>{"vip", "change-freeze"}));
  EXPECT_TRUE(d.providers[0].organizations[1].tags.empty());
  EXPECT_EQ(d.providers[1].id, "msp2");
  EXPECT_FALSE(d.providers[1].require_admin_mfa);
  EXPECT_TRUE(d.providers[1].organizations.empty());

  ASSERT_EQ(d.admins.size(), 3u);
  const AdminData& a1 = d.admins[0];
  EXPECT_EQ(a1.id, "a1");
  EXPECT_EQ(a1.provider, "msp1");
  EXPECT_EQ(a1.email, "a1@msp.example");
  EXPECT_EQ(a1.role, "manager");
  EXPECT_EQ(a1.status, AdminStatus::kSuspended);
  EXPECT_TRUE(a1.enable_multi_factor);
  EXPECT_TRUE(a1.api_key_allowed);
  EXPECT_FALSE(a1.all_organizations);
  ASSERT_EQ(a1.organizations.size(), 2u);
  EXPECT_EQ(a1.organizations[0].organization, "o1");
  EXPECT_EQ(a1.organizations[0].role, "");
  EXPECT_FALSE(a1.organizations[0].expires_at.has_value());
  EXPECT_EQ(a1.organizations[1].organization, "o2");
  EXPECT_EQ(a1.organizations[1].role, "read_only");
  EXPECT_EQ(a1.organizations[1].expires_at, parseRfc3339("2026-12-01T00:00:00Z"));

  // Defaults: active, no MFA, no API key, no orgs.
  const AdminData& a2 = d.admins[1];
  EXPECT_EQ(a2.status, AdminStatus::kPending);
  EXPECT_FALSE(a2.enable_multi_factor);
  EXPECT_FALSE(a2.api_key_allowed);
  EXPECT_FALSE(a2.all_organizations);
  EXPECT_TRUE(a2.organizations.empty());
  EXPECT_EQ(d.admins[2].status, AdminStatus::kActive);
  EXPECT_TRUE(d.admins[2].all_organizations);
}

TEST(DirectoryDocument, EmptyObjectIsAnEmptyDirectory) {
  auto r = parseDirectoryDocument("dir.json", "{}");
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  EXPECT_TRUE(r->providers.empty());
  EXPECT_TRUE(r->admins.empty());
}

TEST(DirectoryDocument, AcceptsYaml) {
  auto r = parseDirectoryDocument("dir.yaml",
                                  "providers:\n"
                                  "  - id: msp1\n"
                                  "    organizations: [{id: o1, tags: [a]}]\n"
                                  "admins:\n"
                                  "  - {id: a1, provider: msp1, roleName: admin}\n");
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  ASSERT_EQ(r->providers.size(), 1u);
  EXPECT_EQ(r->providers[0].organizations[0].tags, std::vector<std::string>{"a"});
  ASSERT_EQ(r->admins.size(), 1u);
  EXPECT_EQ(r->admins[0].role, "admin");
}

TEST(DirectoryDocument, UnknownKeyAtTopLevel) {
  const auto ds = directoryErrors("{\n  \"providers\": [],\n  \"admin\": []\n}");
  ASSERT_EQ(ds.size(), 1u) << joinDiagnostics(ds);
  EXPECT_EQ(ds[0].code, "unknown_key");
  EXPECT_EQ(ds[0].file, "dir.json");
  EXPECT_EQ(ds[0].line, 3);
  EXPECT_EQ(ds[0].column, 3);
  EXPECT_NE(ds[0].message.find("`admin`"), std::string::npos) << ds[0].message;
  EXPECT_EQ(ds[0].str().rfind("dir.json:3:3: unknown_key: ", 0), 0u) << ds[0].str();
}

TEST(DirectoryDocument, UnknownKeysAtEveryLevel) {
  const auto ds = directoryErrors(
      "{\"providers\": [\n"
      " {\"id\": \"p\", \"colour\": 1,\n"
      "  \"organizations\": [{\"id\": \"o\", \"size\": 3}]}],\n"
      " \"admins\": [\n"
      " {\"id\": \"a\", \"provider\": \"p\", \"roleName\": \"admin\", \"phone\": \"1\",\n"
      "  \"organizations\": [{\"id\": \"o\", \"until\": \"x\"}]}]}");
  EXPECT_TRUE(hasAt(ds, "unknown_key", 2, 14)) << joinDiagnostics(ds);  // colour
  EXPECT_TRUE(hasAt(ds, "unknown_key", 3, 33)) << joinDiagnostics(ds);  // size
  EXPECT_TRUE(hasAt(ds, "unknown_key", 5, 52)) << joinDiagnostics(ds);  // phone
  EXPECT_TRUE(hasAt(ds, "unknown_key", 6, 33)) << joinDiagnostics(ds);  // until
  EXPECT_EQ(ds.size(), 4u) << joinDiagnostics(ds);
}

TEST(DirectoryDocument, WrongTypes) {
  struct Case {
    const char* text;
    int line, column;
  };
  const Case cases[] = {
      {"{\"providers\": {}}", 1, 15},
      {"{\"admins\": \"a1\"}", 1, 12},
      {"{\"providers\": [\"msp1\"]}", 1, 16},
      {"{\"providers\": [{\"id\": [\"msp1\"]}]}", 1, 23},
      {"{\"providers\": [{\"id\": \"p\", \"requireAdminMFA\": \"maybe\"}]}", 1, 47},
      {"{\"providers\": [{\"id\": \"p\", \"organizations\": [{\"id\": \"o\", \"tags\": \"vip\"}]}]}",
       1, 66},
      {"{\"providers\": [{\"id\": \"p\", \"organizations\": [{\"id\": \"o\", \"tags\": [{\"a\": 1}]}]}]}",
       1, 67},
      {"{\"admins\": [{\"id\": \"a\", \"provider\": \"p\", \"roleName\": \"admin\",\n"
       "  \"enableMultiFactor\": 1}]}",
       2, 24},
      {"{\"admins\": [{\"id\": \"a\", \"provider\": \"p\", \"roleName\": \"admin\",\n"
       "  \"organizations\": {\"id\": \"o\"}}]}",
       2, 20},
      {"{\"admins\": [{\"id\": \"a\", \"provider\": \"p\", \"roleName\": {\"name\": \"admin\"}}]}", 1,
       54},
  };
  for (const auto& c : cases) {
    const auto ds = directoryErrors(c.text);
    EXPECT_TRUE(hasAt(ds, "type_mismatch", c.line, c.column))
        << c.text << "\n" << joinDiagnostics(ds);
  }
}

TEST(DirectoryDocument, BadStatus) {
  const auto ds = directoryErrors(
      "{\"admins\": [\n"
      "  {\"id\": \"a\", \"provider\": \"p\", \"roleName\": \"admin\", \"status\": \"disabled\"}]}");
  ASSERT_EQ(ds.size(), 1u) << joinDiagnostics(ds);
  EXPECT_EQ(ds[0].code, "bad_value");
  EXPECT_EQ(ds[0].line, 2);
  EXPECT_EQ(ds[0].column, 63);
  EXPECT_NE(ds[0].message.find("`disabled`"), std::string::npos) << ds[0].message;
  // Status names are lowercase, as the spec spells them.
  EXPECT_TRUE(hasCode(directoryErrors(
                          R"({"admins": [{"id": "a", "provider": "p", "roleName": "admin", "status": "Active"}]})"),
                      "bad_value"));
}

TEST(DirectoryDocument, BadExpiryTime) {
  for (const char* t : {"tomorrow", "2026-12-01", "2026-13-01T00:00:00Z", "2026-12-01T25:00:00Z",
                        "2026-12-01T00:00:00", ""}) {
    const std::string text =
        "{\"admins\": [{\"id\": \"a\", \"provider\": \"p\", \"roleName\": \"admin\",\n"
        "  \"organizations\": [{\"id\": \"o\", \"expiresAt\": \"" + std::string(t) + "\"}]}]}";
    const auto ds = directoryErrors(text);
    EXPECT_TRUE(hasAt(ds, "bad_time", 2, 46)) << t << "\n" << joinDiagnostics(ds);
  }
}

TEST(DirectoryDocument, MissingRequiredKeys) {
  const auto ds = directoryErrors(
      "{\"providers\": [{\"organizations\": [{\"name\": \"x\"}]}],\n"
      " \"admins\": [{\"id\": \"a\"}]}");
  // The provider's id, the org's id, the admin's provider and roleName.
  int missing = 0;
  for (const auto& d : ds) missing += d.code == "missing_key";
  EXPECT_EQ(missing, 4) << joinDiagnostics(ds);
  EXPECT_TRUE(hasAt(ds, "missing_key", 1, 16)) << joinDiagnostics(ds);
  EXPECT_TRUE(hasAt(ds, "missing_key", 2, 13)) << joinDiagnostics(ds);
}

TEST(DirectoryDocument, ReportsEveryProblemAtOnce) {
  const auto ds = directoryErrors(
      "{\"providers\": [{\"id\": \"p\", \"requireAdminMFA\": \"yes\"}],\n"
      " \"admins\": [{\"id\": \"a\", \"provider\": \"p\", \"roleName\": \"admin\",\n"
      "   \"status\": \"gone\", \"apiKeyAllowed\": \"no\", \"x\": 1,\n"
      "   \"organizations\": [{\"id\": \"o\", \"expiresAt\": \"soon\"}]}]}");
  EXPECT_TRUE(hasAt(ds, "type_mismatch", 1, 47)) << joinDiagnostics(ds);
  EXPECT_TRUE(hasAt(ds, "bad_value", 3, 14)) << joinDiagnostics(ds);
  EXPECT_TRUE(hasAt(ds, "type_mismatch", 3, 39)) << joinDiagnostics(ds);
  EXPECT_TRUE(hasAt(ds, "unknown_key", 3, 45)) << joinDiagnostics(ds);
  EXPECT_TRUE(hasAt(ds, "bad_time", 4, 47)) << joinDiagnostics(ds);
  EXPECT_EQ(ds.size(), 5u) << joinDiagnostics(ds);
}

TEST(DirectoryDocument, SyntaxErrorHasAPosition) {
  const auto ds = directoryErrors("{\n  \"providers\": [\n    {\"id\": \"p\",}\n  ]\n");
  ASSERT_FALSE(ds.empty());
  EXPECT_EQ(ds[0].code, "syntax_error");
  EXPECT_EQ(ds[0].file, "dir.json");
  EXPECT_GT(ds[0].line, 0);
  EXPECT_GT(ds[0].column, 0);
}

TEST(DirectoryDocument, NotAnObject) {
  for (const char* text : {"[]", "42", "\"providers\"", "null", "true", "- a\n- b\n"}) {
    const auto ds = directoryErrors(text);
    EXPECT_FALSE(ds.empty()) << text;
    for (const auto& d : ds) EXPECT_EQ(d.file, "dir.json");
  }
}

// ---------------------------------------------------------------------------------------------
// Request documents

TEST(RequestDocument, DecodesEveryField) {
  auto r = parseRequestDocument("req.json", R"({
    "admin": "a1", "action": "admins.grant_access", "organization": "o1", "provider": "msp1",
    "authMethod": "api_key", "mfa": true, "clientIp": "10.1.2.3",
    "time": "2026-11-25T23:00:00Z",
    "target": {"roleName": "manager", "email": "n@msp.example", "allOrganizations": true,
               "organizations": ["o2", {"id": "o3", "roleName": "read_only"}, {"id": "o4"}]}
  })", kDefaultTime);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  const Request& q = (*r)->request;
  EXPECT_EQ(q.admin, "a1");
  EXPECT_EQ(q.action, *findAction("admins.grant_access"));
  EXPECT_EQ(q.organization, "o1");
  EXPECT_EQ(q.provider, "msp1");
  EXPECT_EQ(q.auth_method, AuthMethod::kApiKey);
  EXPECT_TRUE(q.mfa);
  EXPECT_EQ(q.client_ip, parseIpAddress("10.1.2.3"));
  EXPECT_EQ(q.time, *parseRfc3339("2026-11-25T23:00:00Z"));
  EXPECT_TRUE(q.target.present);
  EXPECT_EQ(q.target.role, "manager");
  EXPECT_EQ(q.target.email, "n@msp.example");
  EXPECT_TRUE(q.target.all_organizations);
  ASSERT_EQ(q.target.organizations.size(), 3u);
  EXPECT_EQ(q.target.organizations[0].organization, "o2");
  EXPECT_EQ(q.target.organizations[0].role, "");
  EXPECT_EQ(q.target.organizations[1].organization, "o3");
  EXPECT_EQ(q.target.organizations[1].role, "read_only");
  EXPECT_EQ(q.target.organizations[2].organization, "o4");
  EXPECT_EQ(q.target.organizations[2].role, "");
}

TEST(RequestDocument, Defaults) {
  auto r = parseRequestDocument("req.json", R"({"admin": "a1", "action": "home.read"})",
                                kDefaultTime);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  const Request& q = (*r)->request;
  EXPECT_EQ(q.admin, "a1");
  EXPECT_EQ(q.action, *findAction("home.read"));
  EXPECT_EQ(q.organization, "");
  EXPECT_EQ(q.provider, "");
  EXPECT_EQ(q.auth_method, AuthMethod::kSession);
  EXPECT_FALSE(q.mfa);
  EXPECT_FALSE(q.client_ip.has_value());
  EXPECT_EQ(q.time, kDefaultTime);
  EXPECT_FALSE(q.target.present);
  EXPECT_TRUE(q.target.organizations.empty());
}

TEST(RequestDocument, TimeWithOffsetIsUtc) {
  auto r = parseRequestDocument(
      "req.json", R"({"admin": "a", "action": "home.read", "time": "2026-11-25T23:30:00+02:00"})",
      kDefaultTime);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  EXPECT_EQ((*r)->request.time, *parseRfc3339("2026-11-25T21:30:00Z"));
}

TEST(RequestDocument, IPv6ClientAddress) {
  auto r = parseRequestDocument(
      "req.json", R"({"admin": "a", "action": "home.read", "clientIp": "2001:db8::1"})",
      kDefaultTime);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  EXPECT_EQ((*r)->request.client_ip, parseIpAddress("2001:db8::1"));
}

TEST(RequestDocument, UnknownActionIsNotAnError) {
  auto r = parseRequestDocument("req.json", R"({"admin": "a", "action": "users.frobnicate"})",
                                kDefaultTime);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  EXPECT_EQ((*r)->request.action, kNoAction);
  EXPECT_EQ((*r)->action, "users.frobnicate");
}

TEST(RequestDocument, ViewsPointIntoTheDocument) {
  auto r = parseRequestDocument(
      "req.json",
      R"({"admin": "a1", "action": "admins.create", "organization": "o1",
          "target": {"roleName": "manager", "organizations": [{"id": "o2", "roleName": "admin"}]}})",
      kDefaultTime);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  std::unique_ptr<RequestDocument> doc = std::move(*r);  // moving the pointer keeps the views
  const Request& q = doc->request;
  EXPECT_EQ(q.admin.data(), doc->admin.data());
  EXPECT_EQ(q.organization.data(), doc->organization.data());
  EXPECT_EQ(q.target.role.data(), doc->target_role.data());
  ASSERT_EQ(q.target.organizations.size(), 1u);
  EXPECT_EQ(q.target.organizations.data(), doc->target_grants.data());
  // bind() re-points after a change.
  doc->admin = "someone-else-with-a-long-id-that-does-not-fit-in-sso";
  doc->bind();
  EXPECT_EQ(doc->request.admin, "someone-else-with-a-long-id-that-does-not-fit-in-sso");
}

TEST(RequestDocument, AcceptsYaml) {
  auto r = parseRequestDocument("req.yaml",
                                "admin: a1\naction: users.read\norganization: o1\nmfa: true\n"
                                "target: {organizations: [o1]}\n",
                                kDefaultTime);
  ASSERT_TRUE(r.has_value()) << joinDiagnostics(r.error());
  EXPECT_TRUE((*r)->request.mfa);
  EXPECT_TRUE((*r)->request.target.present);
}

TEST(RequestDocument, UnknownKey) {
  const auto ds = requestErrors("{\"admin\": \"a\", \"action\": \"home.read\",\n \"mfaVerified\": true}");
  ASSERT_EQ(ds.size(), 1u) << joinDiagnostics(ds);
  EXPECT_EQ(ds[0].code, "unknown_key");
  EXPECT_EQ(ds[0].line, 2);
  EXPECT_EQ(ds[0].column, 2);
  EXPECT_NE(ds[0].message.find("`mfaVerified`"), std::string::npos) << ds[0].message;
  EXPECT_EQ(ds[0].str().rfind("req.json:2:2: unknown_key: ", 0), 0u) << ds[0].str();
}

TEST(RequestDocument, UnknownKeyInTarget) {
  const auto ds = requestErrors(
      R"({"admin": "a", "action": "admins.create", "target": {"role": "admin"}})");
  EXPECT_TRUE(hasAt(ds, "unknown_key", 1, 54)) << joinDiagnostics(ds);
  const auto ds2 = requestErrors(
      R"({"admin": "a", "action": "admins.create", "target": {"organizations": [{"id": "o", "x": 1}]}})");
  EXPECT_TRUE(hasAt(ds2, "unknown_key", 1, 84)) << joinDiagnostics(ds2);
}

TEST(RequestDocument, MissingAdminOrAction) {
  const auto ds = requestErrors(R"({"organization": "o1"})");
  int missing = 0;
  for (const auto& d : ds) missing += d.code == "missing_key";
  EXPECT_EQ(missing, 2) << joinDiagnostics(ds);
  EXPECT_TRUE(hasAt(ds, "missing_key", 1, 1)) << joinDiagnostics(ds);
}

TEST(RequestDocument, WrongTypes) {
  struct Case {
    const char* text;
    int line, column;
  };
  const Case cases[] = {
      {R"({"admin": ["a"], "action": "home.read"})", 1, 11},
      {R"({"admin": "a", "action": {"name": "home.read"}})", 1, 26},
      {R"({"admin": "a", "action": "home.read", "mfa": "yes"})", 1, 46},
      {R"({"admin": "a", "action": "home.read", "mfa": 1})", 1, 46},
      {R"({"admin": "a", "action": "home.read", "mfa": [true]})", 1, 46},
      {R"({"admin": "a", "action": "home.read", "clientIp": ["10.0.0.1"]})", 1, 51},
      {R"({"admin": "a", "action": "home.read", "time": {"at": 1}})", 1, 47},
      {R"({"admin": "a", "action": "admins.create", "target": "b"})", 1, 53},
      {R"({"admin": "a", "action": "admins.create", "target": {"organizations": "o1"}})", 1, 71},
      {R"({"admin": "a", "action": "admins.create", "target": {"allOrganizations": "all"}})", 1, 74},
  };
  for (const auto& c : cases) {
    const auto ds = requestErrors(c.text);
    EXPECT_TRUE(hasAt(ds, "type_mismatch", c.line, c.column))
        << c.text << "\n" << joinDiagnostics(ds);
  }
}

TEST(RequestDocument, BadAuthMethod) {
  for (const char* m : {"password", "API_KEY", "apikey", ""}) {
    const std::string text = "{\"admin\": \"a\", \"action\": \"home.read\",\n  \"authMethod\": \"" +
                             std::string(m) + "\"}";
    const auto ds = requestErrors(text);
    EXPECT_TRUE(hasAt(ds, "bad_value", 2, 17)) << m << "\n" << joinDiagnostics(ds);
  }
}

TEST(RequestDocument, BadIp) {
  for (const char* ip : {"10.0.0.300", "10.0.0", "10.0.0.1/8", "not-an-ip", "::g", "1.2.3.4.5",
                         " 10.0.0.1", ""}) {
    const std::string text =
        "{\"admin\": \"a\", \"action\": \"home.read\",\n  \"clientIp\": \"" + std::string(ip) + "\"}";
    const auto ds = requestErrors(text);
    EXPECT_TRUE(hasAt(ds, "bad_value", 2, 15)) << ip << "\n" << joinDiagnostics(ds);
  }
}

TEST(RequestDocument, BadTime) {
  for (const char* t : {"now", "2026-11-25", "23:00", "2026-11-25 23:00:00Z",
                        "2026-02-30T00:00:00Z", "2026-11-25T23:00:00+25:00", "1795334400"}) {
    const std::string text =
        "{\"admin\": \"a\", \"action\": \"home.read\",\n  \"time\": \"" + std::string(t) + "\"}";
    const auto ds = requestErrors(text);
    EXPECT_TRUE(hasAt(ds, "bad_time", 2, 11)) << t << "\n" << joinDiagnostics(ds);
  }
}

TEST(RequestDocument, SyntaxError) {
  const auto ds = requestErrors("{\"admin\": \"a\",\n \"action\": \"home.read\"");
  ASSERT_FALSE(ds.empty());
  EXPECT_EQ(ds[0].code, "syntax_error");
  EXPECT_EQ(ds[0].file, "req.json");
  EXPECT_GT(ds[0].line, 0);
}

TEST(RequestDocument, NotAnObject) {
  for (const char* text : {"[]", "42", "\"admin\"", "null", "~", "- admin\n"}) {
    const auto ds = requestErrors(text);
    EXPECT_FALSE(ds.empty()) << text;
  }
}

// ---------------------------------------------------------------------------------------------
// Garbage in: a diagnostic or (for what happens to be valid YAML) a value, never a crash or an
// exception.

std::vector<std::string> garbage() {
  std::vector<std::string> out = {
      "",
      " ",
      "\n\n\n",
      std::string("\0", 1),
      std::string("{\"admin\": \"a\0b\", \"action\": \"home.read\"}", 38),
      "\xff\xfe\xfd\xfc",
      "\xef\xbb\xbf{}",  // UTF-8 BOM
      "{\"admin\": \"\xc3\x28\", \"action\": \"home.read\"}",  // invalid UTF-8
      "{{{{",
      "}}}}",
      "[[[[[[",
      "{\"a\":",
      "\"unterminated",
      "&anchor {}",
      "*alias",
      "{a: *nothing}",
      "!!binary AAAA",
      "!<tag:yaml.org,2002:map> {}",
      "%YAML 1.2\n---\n{}\n...\n---\n{}",
      "---\n---\n",
      "key: [unclosed\n",
      "\t{\"providers\": []}",
      "{\"providers\": [{\"id\": \"p\", \"organizations\": [{\"id\": \"o\", \"tags\": [[[]]]}]}]}",
      "{\"admins\": [{\"id\": {\"id\": {\"id\": 1}}, \"provider\": [], \"roleName\": null}]}",
      "{\"admin\": null, \"action\": null, \"mfa\": null, \"target\": null}",
      "{\"admin\": \"a\", \"action\": \"home.read\", \"target\": {\"organizations\": [null, 1, [], {}]}}",
      "{\"admin\": \"a\", \"admin\": \"b\", \"action\": \"home.read\"}",
      "{? [a, b] : c}",
      "{[1, 2]: \"x\", \"action\": \"home.read\"}",
      "{1: 2, 3: 4}",
      std::string(100000, '['),
      std::string(100000, '{'),
      std::string(5000, '-') + " x",
  };
  // Deep but finite nesting.
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += "{\"a\": ";
  deep += "1";
  for (int i = 0; i < 500; ++i) deep += "}";
  out.push_back(deep);
  // Random bytes, and random mutations of a valid document.
  std::mt19937 rng(20261122);
  for (int n = 0; n < 100; ++n) {
    std::string s(static_cast<std::size_t>(rng() % 300), '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xff);
    out.push_back(std::move(s));
  }
  const std::string valid = kDirectory;
  for (int n = 0; n < 300; ++n) {
    std::string s = valid;
    for (int k = 0; k < 3; ++k) s[rng() % s.size()] = static_cast<char>(rng() & 0xff);
    out.push_back(std::move(s));
  }
  for (int n = 0; n < 100; ++n) out.push_back(valid.substr(0, rng() % valid.size()));
  return out;
}

TEST(Documents, GarbageNeverCrashesTheDirectoryReader) {
  for (const auto& text : garbage()) {
    EXPECT_NO_THROW({
      auto r = parseDirectoryDocument("dir.json", text);
      if (!r) {
        EXPECT_FALSE(r.error().empty());
        for (const auto& d : r.error()) {
          EXPECT_EQ(d.file, "dir.json");
          EXPECT_FALSE(d.code.empty());
        }
      }
    }) << ::testing::PrintToString(text.substr(0, 80));
  }
}

TEST(Documents, GarbageNeverCrashesTheRequestReader) {
  for (const auto& text : garbage()) {
    EXPECT_NO_THROW({
      auto r = parseRequestDocument("req.json", text, kDefaultTime);
      if (!r) {
        EXPECT_FALSE(r.error().empty());
        for (const auto& d : r.error()) {
          EXPECT_EQ(d.file, "req.json");
          EXPECT_FALSE(d.code.empty());
        }
      }
    }) << ::testing::PrintToString(text.substr(0, 80));
  }
}

TEST(Documents, EmptyInputIsAnError) {
  EXPECT_FALSE(parseDirectoryDocument("dir.json", "").has_value());
  EXPECT_FALSE(parseRequestDocument("req.json", "", kDefaultTime).has_value());
  EXPECT_FALSE(parseRequestDocument("req.json", std::string("\0\0\0", 3), kDefaultTime).has_value());
}

}  // namespace
}  // namespace mtp::engine

namespace mtp::engine {
namespace {

TEST(RequestDocument, AQuotedBooleanIsAString) {
  auto ds = requestErrors(R"({"admin": "a", "action": "users.read", "mfa": "true"})");
  EXPECT_TRUE(hasAt(ds, "type_mismatch", 1, 47)) << joinDiagnostics(ds);
}

TEST(RequestDocument, DuplicateKeysAreReported) {
  auto ds = requestErrors(R"({"admin": "a", "action": "users.read", "admin": "b"})");
  EXPECT_TRUE(hasCode(ds, "duplicate_key")) << joinDiagnostics(ds);
}

}  // namespace
}  // namespace mtp::engine
