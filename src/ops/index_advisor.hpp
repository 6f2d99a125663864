#pragma once
// The index advisor (issue 11), on a blocking connection (the CLI's `db advise`, or a worker
// thread of the service). Suggestions follow Dexter's rule: for each statement whose estimated
// cost is at least 100, each candidate of index_candidates() is created as a hypothetical index
// (hypopg: in this session's memory only), the statement explained again, and the best candidate
// is proposed when it cuts the cost by half or more. The catalog checks PgHero users rely on come
// with it: unused indexes (no scan since the statistics were reset, above a size), duplicate
// indexes (columns a prefix of another index's on the same table), invalid indexes. It never
// creates an index: a suggestion carries the CREATE INDEX CONCURRENTLY for an operator to review.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

struct AdvisedStatement {
  std::string fingerprint;
  std::string sql;  // as run, with $n parameters
  std::vector<std::optional<std::string>> params;
};

struct IndexSuggestion {
  std::string table;
  std::vector<std::string> columns;
  std::string statement;  // CREATE INDEX CONCURRENTLY ...
  std::vector<std::string> fingerprints;
  double cost_before = 0;
  double cost_after = 0;
};

struct UnusedIndex {
  std::string index, table;
  std::int64_t bytes = 0;
  std::int64_t scans = 0;
};

struct DuplicateIndex {
  std::string index, duplicate_of, table;
};

struct InvalidIndex {
  std::string index, table;
};

struct IndexAdvice {
  std::vector<IndexSuggestion> suggestions;
  std::vector<UnusedIndex> unused;
  std::vector<DuplicateIndex> duplicates;
  std::vector<InvalidIndex> invalid;
  bool hypopg = false;
};

struct IndexAdvisorOptions {
  double min_cost = 100;         // statements cheaper than this are left alone
  double min_improvement = 0.5;  // cost_after <= cost_before * (1 - this)
  std::int64_t min_unused_bytes = 1 << 20;
};

IndexAdvice advise_indexes(pg::BlockingConnection& connection,
                           const std::vector<AdvisedStatement>& statements,
                           const IndexAdvisorOptions& options = {});

// The estimated total cost of the statement's plan (EXPLAIN (FORMAT JSON)).
double estimated_cost(pg::BlockingConnection& connection, const AdvisedStatement& statement);

}  // namespace utxoiq::ops
