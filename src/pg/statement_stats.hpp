#pragma once
// Per-statement figures of this process, keyed by fingerprint (statement_fingerprint.hpp): calls,
// total, mean, p95 (LatencySketch), max and rows. At most max_fingerprints statements are kept
// apart; the statements first seen after that are added together under the fingerprint "other",
// so memory stays bounded (the service's own statements are a few dozen) and nothing is lost
// from the totals.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "pg/latency_sketch.hpp"
#include "pg/statement_fingerprint.hpp"

namespace utxoiq::pg {

struct StatementFigures {
  std::string fingerprint;
  std::string query;
  std::uint64_t calls = 0;
  double total_ms = 0;
  double mean_ms = 0;
  double p95_ms = 0;
  double max_ms = 0;
  std::int64_t rows = 0;
};

class StatementStats {
 public:
  static constexpr const char* kOther = "other";
  explicit StatementStats(std::size_t max_fingerprints = 500);

  // rows: returned or affected; negative when unknown (not added).
  void record(const StatementIdentity& statement, std::chrono::nanoseconds duration,
              std::int64_t rows);
  // Most total time first.
  std::vector<StatementFigures> snapshot() const;
  std::size_t size() const { return entries_.size(); }
  // The normalized text of a recorded fingerprint (the "other" text past the bound).
  const std::string& query_of(std::uint64_t fingerprint) const;

 private:
  struct Entry {
    std::string id;
    std::string query;
    std::uint64_t calls = 0;
    std::chrono::nanoseconds total{0};
    std::chrono::nanoseconds max{0};
    std::int64_t rows = 0;
    LatencySketch sketch;
  };
  Entry& entry_for(const StatementIdentity& statement);

  std::size_t max_fingerprints_;
  std::unordered_map<std::uint64_t, Entry> entries_;
  Entry other_;  // id kOther
};

}  // namespace utxoiq::pg
