#include "mtp/engine/coverage.h"

#include <algorithm>
#include <tuple>

#include "policy/compiled.h"

namespace mtp::engine {

PolicyCoverage::PolicyCoverage(const PolicySet& set)
    : role_consulted(set.roleCount(), 0), role_granted(set.roleCount(), 0) {
  const auto& cp = set.compiled();
  policies.resize(cp.policies.size());
  for (std::size_t i = 0; i < cp.policies.size(); ++i) {
    policies[i].when.resize(cp.policies[i].when.size());
    policies[i].unless.resize(cp.policies[i].unless.size());
  }
}

namespace {

std::string ticked(std::string_view s) { return "`" + std::string(s) + "`"; }

void conditionGaps(const std::string& file, const std::string& rule, std::string_view part,
                   const std::vector<detail::ConditionSource>& src,
                   const std::vector<ConditionCoverage>& cov, CoverageSummary& out) {
  for (std::size_t i = 0; i < cov.size() && i < src.size(); ++i) {
    const ConditionCoverage& c = cov[i];
    const std::string name = std::string(part) + "[" + std::to_string(i) + "] " + ticked(src[i].text);
    out.total += 2;
    out.covered += (c.true_count > 0) + (c.false_count > 0);
    if (c.evaluated == 0) {
      out.gaps.push_back(CoverageGap{file, src[i].line, rule, name + " never evaluated"});
    } else if (c.true_count == 0) {
      out.gaps.push_back(CoverageGap{file, src[i].line, rule, name + " never true"});
    } else if (c.false_count == 0) {
      out.gaps.push_back(CoverageGap{file, src[i].line, rule, name + " never false"});
    }
  }
}

}  // namespace

CoverageSummary summarizeCoverage(const PolicySet& set, const PolicyCoverage& coverage) {
  CoverageSummary out;
  const auto& cp = set.compiled();
  for (std::size_t r = 0; r < cp.roles.size() && r < coverage.role_consulted.size(); ++r) {
    const auto& role = cp.roles[r];
    const std::string rule = "role " + ticked(role.info.id);
    ++out.total;
    if (coverage.role_consulted[r] > 0) {
      ++out.covered;
    } else {
      out.gaps.push_back(CoverageGap{role.file, role.line, rule, "never the effective role of a tested request"});
    }
  }
  for (std::size_t p = 0; p < cp.policies.size() && p < coverage.policies.size(); ++p) {
    const auto& pol = cp.policies[p];
    const auto& c = coverage.policies[p];
    const std::string rule = "policy " + ticked(pol.info.id);
    out.total += 2;
    out.covered += (c.evaluated > 0) + (c.applied > 0);
    if (c.evaluated == 0) {
      out.gaps.push_back(CoverageGap{pol.info.file, pol.info.line, rule, "never evaluated"});
    } else if (c.applied == 0) {
      out.gaps.push_back(CoverageGap{pol.info.file, pol.info.line, rule,
                                     pol.info.effect == Effect::kPermit ? "never granted" : "never denied"});
    }
    conditionGaps(pol.info.file, rule, "when", pol.when_src, c.when, out);
    conditionGaps(pol.info.file, rule, "unless", pol.unless_src, c.unless, out);
  }
  std::stable_sort(out.gaps.begin(), out.gaps.end(), [](const CoverageGap& a, const CoverageGap& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  return out;
}

}  // namespace mtp::engine
