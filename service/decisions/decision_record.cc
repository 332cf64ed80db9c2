#include "decisions/decision_record.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace mtp::decisions {

namespace {

using engine::AuthMethod;
using engine::SessionScope;

std::string_view authMethodName(AuthMethod m) { return m == AuthMethod::kApiKey ? "api_key" : "session"; }

std::string_view scopeName(SessionScope s) {
  switch (s) {
    case SessionScope::kFull: return "full";
    case SessionScope::kEnrollmentOnly: return "enrollment_only";
    case SessionScope::kOrgLaunch: return "org_launch";
  }
  return "full";
}

// A JSON string: quotes, backslashes and control characters escaped (so no text forges a line).
void appendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

void appendKey(std::string& out, std::string_view key) {
  out.push_back(',');
  out.push_back('"');
  out += key;
  out += "\":";
}

void appendBool(std::string& out, bool b) { out += b ? "true" : "false"; }

// ---- a small JSON reader for one line ---------------------------------------------------------

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  std::optional<std::string> error;

  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || s_[p_] == '\n')) ++p_;
  }
  bool eat(char c) {
    ws();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool expect(char c) {
    if (eat(c)) return true;
    fail(std::string("expected `") + c + "`");
    return false;
  }
  void fail(std::string msg) {
    if (!error) error = msg + " at column " + std::to_string(p_ + 1);
  }
  bool atEnd() {
    ws();
    return p_ >= s_.size();
  }
  char peek() {
    ws();
    return p_ < s_.size() ? s_[p_] : '\0';
  }

  bool string(std::string& out) {
    out.clear();
    if (!expect('"')) return false;
    while (p_ < s_.size()) {
      // Copy the run up to the next quote or backslash at once.
      std::size_t q = p_;
      while (q < s_.size() && s_[q] != '"' && s_[q] != '\\') ++q;
      out.append(s_.data() + p_, q - p_);
      p_ = q;
      if (p_ >= s_.size()) break;
      if (s_[p_] == '"') {
        ++p_;
        return true;
      }
      if (++p_ >= s_.size()) break;
      const char e = s_[p_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          if (p_ + 4 > s_.size()) return fail("bad \\u escape"), false;
          unsigned v = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = s_[p_++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
            else return fail("bad \\u escape"), false;
          }
          // UTF-8 of the code unit (ids and names are what we log; surrogates kept as is).
          if (v < 0x80) {
            out.push_back(static_cast<char>(v));
          } else if (v < 0x800) {
            out.push_back(static_cast<char>(0xc0 | (v >> 6)));
            out.push_back(static_cast<char>(0x80 | (v & 0x3f)));
          } else {
            out.push_back(static_cast<char>(0xe0 | (v >> 12)));
            out.push_back(static_cast<char>(0x80 | ((v >> 6) & 0x3f)));
            out.push_back(static_cast<char>(0x80 | (v & 0x3f)));
          }
          break;
        }
        default: return fail("bad escape"), false;
      }
    }
    fail("unterminated string");
    return false;
  }

  bool literal(std::string_view word) {
    ws();
    if (s_.substr(p_, word.size()) == word) {
      p_ += word.size();
      return true;
    }
    return false;
  }

  bool boolean(bool& out) {
    if (literal("true")) return out = true, true;
    if (literal("false")) return out = false, true;
    fail("expected true or false");
    return false;
  }

  bool integer(std::int64_t& out) {
    ws();
    bool neg = false;
    if (p_ < s_.size() && s_[p_] == '-') neg = true, ++p_;
    const std::size_t start = p_;
    std::int64_t v = 0;
    while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9' && p_ - start < 18) v = v * 10 + (s_[p_++] - '0');
    if (p_ == start) return fail("expected a number"), false;
    out = neg ? -v : v;
    return true;
  }

  // Skips any value (an unknown key's).
  bool skip(int depth = 0) {
    if (depth > 32) return fail("nested too deep"), false;
    const char c = peek();
    std::string scratch;
    if (c == '"') return string(scratch);
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++p_;
      if (eat(close)) return true;
      do {
        if (c == '{') {
          if (!string(scratch) || !expect(':')) return false;
        }
        if (!skip(depth + 1)) return false;
      } while (eat(','));
      return expect(close);
    }
    if (literal("true") || literal("false") || literal("null")) return true;
    ws();
    const std::size_t start = p_;
    while (p_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[p_])) || s_[p_] == '-' ||
                              s_[p_] == '+' || s_[p_] == '.' || s_[p_] == 'e' || s_[p_] == 'E'))
      ++p_;
    if (p_ == start) return fail("expected a value"), false;
    return true;
  }

  // Calls `on(key)` for each key of an object; `on` reads the value.
  template <class F>
  bool object(F&& on) {
    if (!expect('{')) return false;
    if (eat('}')) return true;
    std::string key;
    do {
      if (!string(key) || !expect(':')) return false;
      if (!on(key)) return false;
    } while (eat(','));
    return expect('}');
  }

 private:
  std::string_view s_;
  std::size_t p_ = 0;
};

}  // namespace

std::string formatRfc3339(engine::UnixTime t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string formatIp(const engine::IpAddress& ip) {
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN] = {};
  if (std::equal(ip.bytes.begin(), ip.bytes.begin() + 12, kMapped)) {
    inet_ntop(AF_INET, ip.bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof buf);
  }
  return buf;
}

void appendDecisionLine(std::string& out, const engine::Request& r, const engine::Decision& d,
                        const DecisionFields& f) {
  out += "{\"id\":";
  appendString(out, f.decision_id);
  appendKey(out, "time");
  out.push_back('"');
  out += formatRfc3339(r.time);
  out.push_back('"');
  appendKey(out, "admin");
  appendString(out, r.admin);
  appendKey(out, "provider");
  appendString(out, r.provider);
  appendKey(out, "action");
  appendString(out, r.action < engine::allActions().size() ? engine::actionInfo(r.action).name : std::string_view());
  appendKey(out, "org");
  appendString(out, r.organization);
  appendKey(out, "authMethod");
  appendString(out, authMethodName(r.auth_method));
  appendKey(out, "mfa");
  appendBool(out, r.mfa);
  appendKey(out, "sessionScope");
  appendString(out, scopeName(r.session_scope));
  appendKey(out, "launchOrg");
  appendString(out, r.launch_org);
  appendKey(out, "clientIp");
  if (r.client_ip) appendString(out, formatIp(*r.client_ip));
  else out += "null";
  appendKey(out, "anyOrg");
  appendBool(out, r.any_organization);
  if (r.target.present) {
    appendKey(out, "target");
    out += "{\"role\":";
    appendString(out, r.target.role);
    appendKey(out, "email");
    appendString(out, r.target.email);
    appendKey(out, "allOrganizations");
    appendBool(out, r.target.all_organizations);
    appendKey(out, "organizations");
    out.push_back('[');
    bool first = true;
    for (const auto& g : r.target.organizations) {
      if (!first) out.push_back(',');
      first = false;
      out += "{\"id\":";
      appendString(out, g.organization);
      appendKey(out, "role");
      appendString(out, g.role);
      out.push_back('}');
    }
    out += "]}";
  }
  appendKey(out, "allowed");
  appendBool(out, d.allowed);
  appendKey(out, "reason");
  appendString(out, engine::reasonName(d.reason));
  appendKey(out, "decidedBy");
  appendString(out, d.decided_by);
  appendKey(out, "policyVersion");
  appendString(out, f.policy_version);
  out += "}\n";
}

const engine::Request& DecisionRecord::request() {
  request_ = engine::Request{};
  request_.admin = admin;
  request_.action = action_id;
  request_.organization = organization;
  request_.provider = provider;
  request_.auth_method = auth_method;
  request_.mfa = mfa;
  request_.session_scope = session_scope;
  request_.launch_org = launch_org;
  request_.client_ip = ip;
  request_.time = time;
  request_.any_organization = any_organization;
  grants_.clear();
  if (target_present) {
    request_.target.present = true;
    request_.target.role = target_role;
    request_.target.email = target_email;
    request_.target.all_organizations = target_all_organizations;
    for (std::size_t i = 0; i < target_org_ids.size(); ++i)
      grants_.push_back(engine::TargetGrant{target_org_ids[i], i < target_org_roles.size() ? std::string_view(target_org_roles[i]) : ""});
    request_.target.organizations = grants_;
  }
  return request_;
}

std::optional<std::string> parseDecisionLine(std::string_view line, DecisionRecord& out) {
  Reader rd(line);
  std::string s;
  bool have_admin = false, have_action = false, have_allowed = false, have_time = false;
  // Every field back to its default (a line may leave some out), keeping the strings' capacity.
  for (std::string* f : {&out.id, &out.admin, &out.provider, &out.action, &out.organization, &out.launch_org,
                         &out.client_ip, &out.target_role, &out.target_email, &out.decided_by, &out.policy_version})
    f->clear();
  out.target_org_ids.clear();
  out.target_org_roles.clear();
  out.time = 0;
  out.action_id = engine::kNoAction;
  out.auth_method = AuthMethod::kSession;
  out.session_scope = SessionScope::kFull;
  out.ip.reset();
  out.mfa = out.any_organization = out.target_present = out.target_all_organizations = out.allowed = false;
  out.reason = engine::Reason::kUnknownAction;
  auto need = [&](bool ok, const char* what) {
    if (!ok) rd.fail(what);
    return ok;
  };
  const bool ok = rd.object([&](const std::string& key) -> bool {
    if (key == "id") return rd.string(out.id);
    if (key == "time") {
      if (!rd.string(s)) return false;
      auto t = engine::parseRfc3339(s);
      have_time = t.has_value();
      if (t) out.time = *t;
      return need(have_time, "bad `time`");
    }
    if (key == "admin") return have_admin = rd.string(out.admin);
    if (key == "provider") return rd.string(out.provider);
    if (key == "action") {
      if (!rd.string(out.action)) return false;
      have_action = true;
      out.action_id = engine::findAction(out.action).value_or(engine::kNoAction);
      return true;
    }
    if (key == "org") return rd.string(out.organization);
    if (key == "authMethod") {
      if (!rd.string(s)) return false;
      if (s == "session") out.auth_method = AuthMethod::kSession;
      else if (s == "api_key") out.auth_method = AuthMethod::kApiKey;
      else return need(false, "bad `authMethod`");
      return true;
    }
    if (key == "mfa") return rd.boolean(out.mfa);
    if (key == "sessionScope") {
      if (!rd.string(s)) return false;
      if (s == "full") out.session_scope = SessionScope::kFull;
      else if (s == "enrollment_only") out.session_scope = SessionScope::kEnrollmentOnly;
      else if (s == "org_launch") out.session_scope = SessionScope::kOrgLaunch;
      else return need(false, "bad `sessionScope`");
      return true;
    }
    if (key == "launchOrg") return rd.string(out.launch_org);
    if (key == "clientIp") {
      if (rd.literal("null")) return true;
      if (!rd.string(out.client_ip)) return false;
      out.ip = engine::parseIpAddress(out.client_ip);
      return need(out.ip.has_value(), "bad `clientIp`");
    }
    if (key == "anyOrg") return rd.boolean(out.any_organization);
    if (key == "target") {
      if (rd.literal("null")) return true;
      out.target_present = true;
      out.target_role.clear();
      out.target_email.clear();
      out.target_all_organizations = false;
      return rd.object([&](const std::string& tk) -> bool {
        if (tk == "role") return rd.string(out.target_role);
        if (tk == "email") return rd.string(out.target_email);
        if (tk == "allOrganizations") return rd.boolean(out.target_all_organizations);
        if (tk == "organizations") {
          if (!rd.expect('[')) return false;
          if (rd.eat(']')) return true;
          do {
            std::string id, role;
            if (!rd.object([&](const std::string& gk) -> bool {
                  if (gk == "id") return rd.string(id);
                  if (gk == "role") return rd.string(role);
                  return rd.skip();
                }))
              return false;
            out.target_org_ids.push_back(std::move(id));
            out.target_org_roles.push_back(std::move(role));
          } while (rd.eat(','));
          return rd.expect(']');
        }
        return rd.skip();
      });
    }
    if (key == "allowed") return have_allowed = rd.boolean(out.allowed);
    if (key == "reason") {
      if (!rd.string(s)) return false;
      auto r = engine::parseReason(s);
      if (r) out.reason = *r;
      return need(r.has_value(), "bad `reason`");
    }
    if (key == "decidedBy") return rd.string(out.decided_by);
    if (key == "policyVersion") return rd.string(out.policy_version);
    return rd.skip();  // a later version's field
  });
  if (!ok) return rd.error.value_or("malformed line");
  if (!rd.atEnd()) return "text after the object";
  if (!have_admin) return "no `admin`";
  if (!have_action) return "no `action`";
  if (!have_allowed) return "no `allowed`";
  if (!have_time) return "no `time`";
  return std::nullopt;
}

}  // namespace mtp::decisions
