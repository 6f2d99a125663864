// StatementStats (see statement_stats.hpp).
#include "pg/statement_stats.hpp"

#include <algorithm>

namespace utxoiq::pg {

namespace {

double ms(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace

StatementStats::StatementStats(std::size_t max_fingerprints) : max_fingerprints_(max_fingerprints) {
  other_.id = kOther;
  other_.query = "(statements first seen past the bound of distinct fingerprints)";
}

StatementStats::Entry& StatementStats::entry_for(const StatementIdentity& statement) {
  if (auto found = entries_.find(statement.fingerprint); found != entries_.end())
    return found->second;
  if (entries_.size() >= max_fingerprints_) return other_;
  Entry& entry = entries_[statement.fingerprint];
  entry.id = statement.id;
  entry.query = statement.normalized;
  return entry;
}

void StatementStats::record(const StatementIdentity& statement, std::chrono::nanoseconds duration,
                            std::int64_t rows) {
  Entry& entry = entry_for(statement);
  ++entry.calls;
  entry.total += duration;
  entry.max = std::max(entry.max, duration);
  if (rows > 0) entry.rows += rows;
  entry.sketch.add(duration);
}

const std::string& StatementStats::query_of(std::uint64_t fingerprint) const {
  const auto found = entries_.find(fingerprint);
  return found == entries_.end() ? other_.query : found->second.query;
}

std::vector<StatementFigures> StatementStats::snapshot() const {
  std::vector<StatementFigures> out;
  out.reserve(entries_.size() + 1);
  const auto add = [&out](const Entry& entry) {
    if (entry.calls == 0) return;
    out.push_back({.fingerprint = entry.id,
                   .query = entry.query,
                   .calls = entry.calls,
                   .total_ms = ms(entry.total),
                   .mean_ms = ms(entry.total) / static_cast<double>(entry.calls),
                   .p95_ms = ms(entry.sketch.quantile(0.95)),
                   .max_ms = ms(entry.max),
                   .rows = entry.rows});
  };
  for (const auto& [fingerprint, entry] : entries_) add(entry);
  add(other_);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.total_ms > b.total_ms; });
  return out;
}

}  // namespace utxoiq::pg
