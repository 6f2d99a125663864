#pragma once
// Candidate indexes for one statement, read from its parse tree (libpg_query, JSON): per table
// of its FROM (or UPDATE/DELETE target), the columns its WHERE and JOIN conditions compare and
// the columns it orders by. Candidates are each filtered column alone, the filtered columns
// together, and those followed by the ordering columns (at most 3 columns), for the index
// advisor to try with hypopg. Only what can be resolved for certain is proposed: a column without
// a table prefix when the statement reads several tables is left out.
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::ops {

struct IndexCandidate {
  std::string table;
  std::vector<std::string> columns;
  bool operator==(const IndexCandidate&) const = default;
};

// Empty for text libpg_query cannot parse and for statements without such columns.
std::vector<IndexCandidate> index_candidates(std::string_view sql);

}  // namespace utxoiq::ops
