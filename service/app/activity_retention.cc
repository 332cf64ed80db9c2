#include "app/activity_retention.h"

#include <algorithm>

namespace mtp::app {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Result<ActivityRetentionPass> maintainActivity(store::Store& store, std::int64_t now,
                                                  const ActivityRetentionOptions& options) {
  ActivityRetentionPass pass;
  auto created = store.transact(
      [&](store::Tx& tx) { return tx.addActivityPartitions(now, options.months_ahead); });
  if (!created) return fail(created.error());
  pass.partitions_created = std::move(*created);
  if (options.retention_days <= 0) return pass;

  const std::int64_t cutoff = now - static_cast<std::int64_t>(options.retention_days) * 86400;
  auto dropped = store.transact([&](store::Tx& tx) { return tx.dropActivityPartitions(cutoff); });
  if (!dropped) return fail(dropped.error());
  pass.partitions_dropped = std::move(*dropped);

  const int batch = std::max(1, options.batch);
  for (int i = 0; i < options.max_batches; ++i) {
    auto n = store.transact([&](store::Tx& tx) { return tx.deleteActivityBefore(cutoff, batch); });
    if (!n) return fail(n.error());
    pass.events_deleted += *n;
    pass.more = *n == batch;
    if (!pass.more) break;
  }
  return pass;
}

std::string describe(const ActivityRetentionPass& pass) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  if (!pass.partitions_created.empty()) add("partitions made: " + joined(pass.partitions_created));
  if (!pass.partitions_dropped.empty()) add("partitions dropped: " + joined(pass.partitions_dropped));
  if (pass.events_deleted > 0) {
    add(std::to_string(pass.events_deleted) + " older events deleted" + (pass.more ? " (more left)" : ""));
  }
  return out;
}

}  // namespace mtp::app
