#pragma once
// Data for the retention tests, inserted directly with old timestamps (no waiting): jobs, feedback
// and metric points on both sides of each policy's cutoff, a metric day partition wholly older
// than the cutoff (the drop path) and one straddling it (the row path), and the expired rows of
// each table as row_to_json text, to compare with what the archives hold.
#include <filesystem>
#include <set>
#include <string>

#include "util/time.hpp"

namespace utxoiq::testing {

// Fixed relative to `now`: cutoffs are now - 180 / 730 / 90 days with the default periods.
struct RetentionSeed {
  Timestamp now;
  int expired_jobs = 0;      // ended, started more than 180 days ago
  int expired_feedback = 0;  // updated more than 730 days ago
  int expired_metrics = 0;   // older than 90 days (a dropped partition, a straddling one, DEFAULT)
};

// Inserts the rows (and the two metric partitions) into a migrated database.
RetentionSeed seed_retention_data(const std::string& url, Timestamp now);

// row_to_json text (UTC) of the rows of `table` matching `where`.
std::set<std::string> row_texts(const std::string& url, const std::string& table,
                                const std::string& where = "true");

// Every row in every *.jsonl.zst archive under `dir` whose path contains `table`, each line once
// per archive holding it (a multiset, to see duplicates).
std::multiset<std::string> archived_rows(const std::filesystem::path& dir,
                                         const std::string& table);

// A new empty directory under the system's temporary directory.
std::filesystem::path make_temp_dir(const std::string& prefix);

// insight_feedback_stats equals a recount of insight_feedback (every insight, every column).
bool feedback_stats_exact(const std::string& url);

}  // namespace utxoiq::testing
