// Policy impact: logged decisions (decision_record.h lines) replayed through two snapshots,
// the current policies and a candidate, on the same directory; every decision that flips
// (allowed to denied, denied to allowed) is counted by rule, action, admin and org, with the
// first few as examples. `mtpctl policy impact` prints it.
// Thread-safety: one ImpactReplay per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decisions/decision_record.h"
#include "mtp/engine/authorizer.h"

namespace mtp::decisions {

struct FlipExample {
  std::string id, time, admin, action, organization;
  std::string before_reason, before_by;  // the current policies' decision
  std::string after_reason, after_by;    // the candidate's
};

struct FlipGroup {
  std::uint64_t count = 0;
  // The rule that makes the difference: for allowed→denied the candidate's deciding rule (the
  // forbid, or the role that lacks the action); for denied→allowed the current one's (the
  // rule that no longer denies).
  std::map<std::string, std::uint64_t> by_policy, by_action, by_admin, by_org;
  std::vector<FlipExample> examples;
};

struct ImpactReport {
  std::uint64_t replayed = 0;
  std::uint64_t skipped = 0;              // malformed lines
  std::vector<std::string> skipped_lines;  // `file:line: why`, the first 10
  FlipGroup to_denied;   // allowed now, denied by the candidate
  FlipGroup to_allowed;  // denied now, allowed by the candidate
};

class ImpactReplay {
 public:
  ImpactReplay(std::shared_ptr<const engine::Snapshot> current,
               std::shared_ptr<const engine::Snapshot> candidate, std::size_t max_examples = 5);

  // Replays one line; `file` and `line_no` name it in a skip message.
  void addLine(std::string_view line, std::string_view file, std::uint64_t line_no);
  // Replays every line of a file. False (with `error`) when it cannot be read.
  bool addFile(const std::filesystem::path& file, std::string& error);

  const ImpactReport& report() const { return report_; }

 private:
  void flip(FlipGroup& g, const engine::Decision& before, const engine::Decision& after,
            std::string_view rule);

  std::shared_ptr<const engine::Snapshot> current_, candidate_;
  std::size_t max_examples_;
  DecisionRecord record_;
  ImpactReport report_;
};

}  // namespace mtp::decisions
