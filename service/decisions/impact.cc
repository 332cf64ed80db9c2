#include "decisions/impact.h"

#include <cstdio>
#include <memory>

namespace mtp::decisions {

ImpactReplay::ImpactReplay(std::shared_ptr<const engine::Snapshot> current,
                           std::shared_ptr<const engine::Snapshot> candidate, std::size_t max_examples)
    : current_(std::move(current)), candidate_(std::move(candidate)), max_examples_(max_examples) {}

void ImpactReplay::flip(FlipGroup& g, const engine::Decision& before, const engine::Decision& after,
                        std::string_view rule) {
  ++g.count;
  ++g.by_policy[std::string(rule)];
  ++g.by_action[record_.action];
  ++g.by_admin[record_.admin];
  ++g.by_org[record_.organization.empty() ? std::string("-") : record_.organization];
  if (g.examples.size() < max_examples_) {
    g.examples.push_back(FlipExample{record_.id, formatRfc3339(record_.time), record_.admin, record_.action,
                                     record_.organization, std::string(engine::reasonName(before.reason)),
                                     std::string(before.decided_by), std::string(engine::reasonName(after.reason)),
                                     std::string(after.decided_by)});
  }
}

void ImpactReplay::addLine(std::string_view line, std::string_view file, std::uint64_t line_no) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return;
  if (auto bad = parseDecisionLine(line, record_)) {
    ++report_.skipped;
    if (report_.skipped_lines.size() < 10)
      report_.skipped_lines.push_back(std::string(file) + ":" + std::to_string(line_no) + ": " + *bad);
    return;
  }
  const engine::Request& r = record_.request();
  const engine::Decision before = current_->authorize(r);
  const engine::Decision after = candidate_->authorize(r);
  ++report_.replayed;
  if (before.allowed == after.allowed) return;
  if (before.allowed) flip(report_.to_denied, before, after, after.decided_by);
  else flip(report_.to_allowed, before, after, before.decided_by);
}

bool ImpactReplay::addFile(const std::filesystem::path& file, std::string& error) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!f) {
    error = file.string() + ": cannot read the file";
    return false;
  }
  const std::string name = file.string();
  std::string buf(1 << 20, '\0');
  std::string carry;  // a line cut by the end of a chunk
  std::uint64_t line_no = 0;
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
    if (n == 0) break;
    std::string_view chunk(buf.data(), n);
    std::size_t start = 0;
    for (;;) {
      const std::size_t nl = chunk.find('\n', start);
      if (nl == std::string_view::npos) break;
      ++line_no;
      if (!carry.empty()) {
        carry.append(chunk.substr(start, nl - start));
        addLine(carry, name, line_no);
        carry.clear();
      } else {
        addLine(chunk.substr(start, nl - start), name, line_no);
      }
      start = nl + 1;
    }
    carry.append(chunk.substr(start));
  }
  if (std::ferror(f.get())) {
    error = name + ": read error";
    return false;
  }
  if (!carry.empty()) addLine(carry, name, ++line_no);
  return true;
}

}  // namespace mtp::decisions
