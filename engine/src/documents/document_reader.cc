#include "documents/document_reader.h"

#include <algorithm>
#include <initializer_list>
#include <vector>

namespace mtp::engine::detail {
namespace {

// A mapping node whose keys are checked against a closed list, with typed getters that
// report problems at the value's position.
class Fields {
 public:
  Fields(const YAML::Node& node, const std::string& file, DiagnosticSink& sink,
         std::initializer_list<std::string_view> allowed, std::string_view what)
      : node_(node), file_(file), sink_(sink) {
    if (!node.IsMap()) {
      error(node, "type_mismatch", std::string(what) + " must be an object");
      ok_ = false;
      return;
    }
    std::vector<std::string> seen;
    for (const auto& kv : node) {
      const auto key = kv.first.as<std::string>("");
      if (std::find(seen.begin(), seen.end(), key) != seen.end())
        error(kv.first, "duplicate_key", "key " + ticked(key) + " appears twice");
      seen.push_back(key);
      bool known = false;
      for (auto a : allowed) known = known || a == key;
      if (!known) error(kv.first, "unknown_key", "unknown key " + ticked(key) + " in " + std::string(what));
    }
  }
  bool ok() const { return ok_; }

  bool has(const char* key) const { return ok_ && node_[key] && !node_[key].IsNull(); }
  YAML::Node get(const char* key) const { return ok_ ? node_[key] : YAML::Node(); }

  std::string str(const char* key, bool required) const {
    if (!has(key)) {
      if (required && ok_) error(node_, "missing_key", "missing key " + ticked(key));
      return {};
    }
    const YAML::Node v = node_[key];
    if (!v.IsScalar()) {
      error(v, "type_mismatch", ticked(key) + " must be a string");
      return {};
    }
    return v.as<std::string>("");
  }

  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    const YAML::Node v = node_[key];
    if (v.IsScalar() && v.Tag() != "!") {  // "!": a quoted scalar, i.e. a JSON string
      const auto s = v.as<std::string>("");
      if (s == "true") return true;
      if (s == "false") return false;
    }
    error(v, "type_mismatch", ticked(key) + " must be true or false");
    return fallback;
  }

  // A sequence (or absent: empty).
  YAML::Node list(const char* key) const {
    if (!has(key)) return YAML::Node(YAML::NodeType::Sequence);
    const YAML::Node v = node_[key];
    if (!v.IsSequence()) {
      error(v, "type_mismatch", ticked(key) + " must be a list");
      return YAML::Node(YAML::NodeType::Sequence);
    }
    return v;
  }

  void error(const YAML::Node& at, const char* code, const std::string& message) const {
    const auto m = at.Mark();
    sink_.add(file_, m.line + 1, m.column + 1, code, message);
  }

 private:
  YAML::Node node_;
  const std::string& file_;
  DiagnosticSink& sink_;
  bool ok_ = true;
};

std::optional<UnixTime> timeField(const Fields& f, const char* key) {
  if (!f.has(key)) return std::nullopt;
  const auto text = f.str(key, false);
  auto t = parseRfc3339(text);
  if (!t) f.error(f.get(key), "bad_time", ticked(text) + " is not an RFC 3339 time");
  return t;
}

}  // namespace

YAML::Node parseYamlText(const std::string& file, std::string_view text, DiagnosticSink& sink) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    sink.add(file, e.mark.line + 1, e.mark.column + 1, "syntax_error", e.msg);
  } catch (const std::exception& e) {
    sink.add(file, 0, 0, "syntax_error", e.what());
  }
  return YAML::Node();
}

void readDirectory(const YAML::Node& node, const std::string& file, DirectoryData& out,
                   DiagnosticSink& sink) {
  Fields top(node, file, sink, {"providers", "admins"}, "the directory");
  if (!top.ok()) return;
  for (const auto& pn : top.list("providers")) {
    Fields p(pn, file, sink, {"id", "name", "requireAdminMFA", "organizations"}, "a provider");
    if (!p.ok()) continue;
    ProviderData pd;
    pd.id = p.str("id", true);
    pd.require_admin_mfa = p.boolean("requireAdminMFA", false);
    for (const auto& on : p.list("organizations")) {
      Fields o(on, file, sink, {"id", "name", "tags"}, "an organization");
      if (!o.ok()) continue;
      OrgData od;
      od.id = o.str("id", true);
      od.name = o.str("name", false);
      for (const auto& t : o.list("tags")) {
        if (!t.IsScalar()) {
          o.error(t, "type_mismatch", "a tag must be a string");
          continue;
        }
        od.tags.push_back(t.as<std::string>(""));
      }
      pd.organizations.push_back(std::move(od));
    }
    out.providers.push_back(std::move(pd));
  }
  for (const auto& an : top.list("admins")) {
    Fields a(an, file, sink,
             {"id", "provider", "email", "firstname", "lastname", "roleName", "status",
              "enableMultiFactor", "apiKeyAllowed", "allOrganizations", "organizations"},
             "an admin");
    if (!a.ok()) continue;
    AdminData ad;
    ad.id = a.str("id", true);
    ad.provider = a.str("provider", true);
    ad.email = a.str("email", false);
    ad.role = a.str("roleName", true);
    if (a.has("status")) {
      const auto s = a.str("status", false);
      if (auto st = parseAdminStatus(s)) ad.status = *st;
      else a.error(a.get("status"), "bad_value", ticked(s) + " is not one of `active`, `pending`, `suspended`");
    }
    ad.enable_multi_factor = a.boolean("enableMultiFactor", false);
    ad.api_key_allowed = a.boolean("apiKeyAllowed", false);
    ad.all_organizations = a.boolean("allOrganizations", false);
    for (const auto& gn : a.list("organizations")) {
      Fields g(gn, file, sink, {"id", "roleName", "expiresAt"}, "an organization grant");
      if (!g.ok()) continue;
      GrantData gd;
      gd.organization = g.str("id", true);
      gd.role = g.str("roleName", false);
      gd.expires_at = timeField(g, "expiresAt");
      ad.organizations.push_back(std::move(gd));
    }
    out.admins.push_back(std::move(ad));
  }
}

void readRequest(const YAML::Node& node, const std::string& file, UnixTime default_time,
                 RequestDocument& out, DiagnosticSink& sink) {
  Fields f(node, file, sink,
           {"admin", "action", "organization", "provider", "authMethod", "mfa", "clientIp",
            "time", "target"},
           "the request");
  if (!f.ok()) return;
  out.admin = f.str("admin", true);
  out.action = f.str("action", true);
  out.organization = f.str("organization", false);
  out.provider = f.str("provider", false);
  Request& r = out.request;
  r.action = findAction(out.action).value_or(kNoAction);
  if (f.has("authMethod")) {
    const auto m = f.str("authMethod", false);
    if (m == "session") r.auth_method = AuthMethod::kSession;
    else if (m == "api_key") r.auth_method = AuthMethod::kApiKey;
    else f.error(f.get("authMethod"), "bad_value", ticked(m) + " is not `session` or `api_key`");
  }
  r.mfa = f.boolean("mfa", false);
  if (f.has("clientIp")) {
    const auto ip = f.str("clientIp", false);
    r.client_ip = parseIpAddress(ip);
    if (!r.client_ip) f.error(f.get("clientIp"), "bad_value", ticked(ip) + " is not an IP address");
  }
  r.time = timeField(f, "time").value_or(default_time);
  if (f.has("target")) {
    Fields t(f.get("target"), file, sink, {"roleName", "organizations", "email", "allOrganizations"},
             "the target");
    if (t.ok()) {
      r.target.present = true;
      out.target_role = t.str("roleName", false);
      out.target_email = t.str("email", false);
      r.target.all_organizations = t.boolean("allOrganizations", false);
      for (const auto& on : t.list("organizations")) {
        if (on.IsScalar()) {
          out.target_org_ids.push_back(on.as<std::string>(""));
          out.target_org_roles.emplace_back();
          continue;
        }
        Fields g(on, file, sink, {"id", "roleName"}, "a target organization");
        if (!g.ok()) continue;
        out.target_org_ids.push_back(g.str("id", true));
        out.target_org_roles.push_back(g.str("roleName", false));
      }
    }
  }
  out.bind();
}

}  // namespace mtp::engine::detail

namespace mtp::engine {

void RequestDocument::bind() {
  request.admin = admin;
  request.organization = organization;
  request.provider = provider;
  request.target.role = target_role;
  request.target.email = target_email;
  target_grants.clear();
  for (std::size_t i = 0; i < target_org_ids.size() && i < target_org_roles.size(); ++i)
    target_grants.push_back(TargetGrant{target_org_ids[i], target_org_roles[i]});
  request.target.organizations = target_grants;
}

Result<DirectoryData, Diagnostics> parseDirectoryDocument(const std::string& file,
                                                          std::string_view text) {
  detail::DiagnosticSink sink;
  DirectoryData out;
  const YAML::Node node = detail::parseYamlText(file, text, sink);
  try {
    if (sink.empty()) detail::readDirectory(node, file, out, sink);
  } catch (const std::exception& e) {  // yaml-cpp on input it did not expect
    sink.add(file, 0, 0, "bad_value", e.what());
  }
  if (!sink.empty()) return std::unexpected(sink.take());
  return out;
}

Result<std::unique_ptr<RequestDocument>, Diagnostics> parseRequestDocument(
    const std::string& file, std::string_view text, UnixTime default_time) {
  detail::DiagnosticSink sink;
  auto out = std::make_unique<RequestDocument>();
  const YAML::Node node = detail::parseYamlText(file, text, sink);
  try {
    if (sink.empty()) detail::readRequest(node, file, default_time, *out, sink);
  } catch (const std::exception& e) {
    sink.add(file, 0, 0, "bad_value", e.what());
  }
  if (!sink.empty()) return std::unexpected(sink.take());
  return out;
}

}  // namespace mtp::engine
