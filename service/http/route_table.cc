#include "http/route_table.h"

#include <algorithm>
#include <set>

namespace mtp::http {

namespace {

std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  std::size_t i = 1;
  while (true) {
    std::size_t j = path.find('/', i);
    out.push_back(path.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

bool isParam(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a path segment; nullopt on a bad escape or a decoded '/' or NUL.
std::optional<std::string> decodeSegment(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    char c = static_cast<char>(hi * 16 + lo);
    if (c == '/' || c == '\0') return std::nullopt;
    out.push_back(c);
    i += 2;
  }
  return out;
}

const std::set<std::string_view> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

}  // namespace

std::expected<RouteTable, std::vector<std::string>> RouteTable::build(std::vector<Route> routes) {
  std::vector<std::string> problems;
  RouteTable t;
  std::set<std::pair<std::string, std::string>> seen;  // method + pattern shape
  for (const Route& r : routes) {
    const std::string where = r.method + " " + r.pattern;
    Compiled c;
    if (!kMethods.contains(r.method)) problems.push_back(where + ": unknown method `" + r.method + "`");
    auto segs = splitPath(r.pattern);
    if (segs.empty()) problems.push_back(where + ": pattern must start with `/`");
    std::set<std::string_view> names;
    std::string shape;
    for (auto s : segs) {
      if (isParam(s)) {
        if (!names.insert(s).second) problems.push_back(where + ": parameter `" + std::string(s) + "` repeated");
        shape += "/{}";
      } else {
        if (s.find_first_of("{}") != std::string_view::npos) {
          problems.push_back(where + ": malformed segment `" + std::string(s) + "`");
        }
        ++c.literals;
        shape += "/" + std::string(s);
      }
      c.segments.emplace_back(s);
    }
    if (!seen.insert({r.method, shape}).second) problems.push_back(where + ": duplicate route");
    if (!r.handler) problems.push_back(where + ": no handler");

    switch (r.access.kind()) {
      case Access::Kind::kUndeclared:
        problems.push_back(where +
                           ": no access declared (use Access::action, Access::publicRoute or "
                           "Access::authenticatedAny)");
        break;
      case Access::Kind::kPublic:
      case Access::Kind::kAuthenticatedAny:
        if (r.org.kind != OrgSource::Kind::kNone) {
          problems.push_back(where + ": an org source without an action checks nothing");
        }
        if (!r.access.alsoActions().empty() || !r.access.mayAskActions().empty()) {
          problems.push_back(where + ": second actions without an action of the route");
        }
        break;
      case Access::Kind::kAction: {
        auto id = engine::findAction(r.access.actionName());
        if (!id) {
          problems.push_back(where + ": unknown action `" + r.access.actionName() + "`");
          break;
        }
        c.action = *id;
        c.declared.add(*id);
        for (const auto& name : r.access.alsoActions()) {
          auto also = engine::findAction(name);
          if (!also) {
            problems.push_back(where + ": unknown second action `" + name + "`");
            continue;
          }
          if (engine::actionInfo(*also).scope == engine::Scope::kOrg &&
              r.org.kind == OrgSource::Kind::kNone) {
            problems.push_back(where + ": org-scoped second action `" + name + "` needs an org source");
          }
          c.also.push_back(*also);
          c.declared.add(*also);
        }
        for (const auto& name : r.access.mayAskActions()) {
          auto may = engine::findAction(name);
          if (!may) problems.push_back(where + ": unknown second action `" + name + "`");
          else c.declared.add(*may);
        }
        const auto scope = engine::actionInfo(*id).scope;
        if (scope == engine::Scope::kOrg && r.org.kind == OrgSource::Kind::kNone) {
          problems.push_back(where + ": org-scoped action `" + r.access.actionName() +
                             "` needs an org source (path parameter or x-org-id header)");
        }
        if (scope != engine::Scope::kOrg && r.org.kind != OrgSource::Kind::kNone) {
          problems.push_back(where + ": action `" + r.access.actionName() +
                             "` is not org-scoped but the route names an org source");
        }
        if (r.org.kind == OrgSource::Kind::kPathParam &&
            !names.contains("{" + r.org.name + "}")) {
          problems.push_back(where + ": org source `{" + r.org.name + "}` is not in the pattern");
        }
        if (r.org.kind == OrgSource::Kind::kHeader && r.org.name.empty()) {
          problems.push_back(where + ": org source header has no name");
        }
        break;
      }
    }
    t.compiled_.push_back(std::move(c));
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  t.routes_ = std::move(routes);
  return t;
}

RouteMatch RouteTable::match(std::string_view method, std::string_view path) const {
  RouteMatch best;
  int best_literals = -1;
  auto segs = splitPath(path);
  if (segs.empty()) return best;
  std::set<std::string> allow;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Compiled& c = compiled_[i];
    if (c.segments.size() != segs.size()) continue;
    bool ok = true;
    for (std::size_t k = 0; k < segs.size() && ok; ++k) {
      if (isParam(c.segments[k])) ok = !segs[k].empty();
      else ok = c.segments[k] == segs[k];
    }
    if (!ok) continue;
    if (routes_[i].method != method) {
      allow.insert(routes_[i].method);
      continue;
    }
    if (c.literals <= best_literals) continue;
    Params params;
    for (std::size_t k = 0; k < segs.size() && ok; ++k) {
      if (!isParam(c.segments[k])) continue;
      auto v = decodeSegment(segs[k]);
      if (!v) ok = false;
      else params.emplace_back(c.segments[k].substr(1, c.segments[k].size() - 2), std::move(*v));
    }
    if (!ok) continue;
    best.route = &routes_[i];
    best.params = std::move(params);
    best_literals = c.literals;
  }
  if (!best.route) best.allow.assign(allow.begin(), allow.end());
  return best;
}

engine::ActionId RouteTable::actionOf(const Route& r) const {
  auto i = static_cast<std::size_t>(&r - routes_.data());
  return i < compiled_.size() ? compiled_[i].action : engine::kNoAction;
}

const std::vector<engine::ActionId>& RouteTable::alsoOf(const Route& r) const {
  static const std::vector<engine::ActionId> kNone;
  auto i = static_cast<std::size_t>(&r - routes_.data());
  return i < compiled_.size() ? compiled_[i].also : kNone;
}

engine::ActionSet RouteTable::declaredOf(const Route& r) const {
  auto i = static_cast<std::size_t>(&r - routes_.data());
  return i < compiled_.size() ? compiled_[i].declared : engine::ActionSet();
}

std::size_t RouteTable::maxBody() const {
  std::size_t m = 0;
  for (const auto& r : routes_) m = std::max(m, r.max_body);
  return m;
}

}  // namespace mtp::http
