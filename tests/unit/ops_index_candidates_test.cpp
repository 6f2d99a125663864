// Candidate indexes read from parse trees: filtered, joined and ordered columns per table,
// aliases resolved, ambiguous columns left out, sub-selects on their own.
#include <gtest/gtest.h>

#include "ops/index_candidates.hpp"

namespace utxoiq::ops {
namespace {

using Columns = std::vector<std::string>;

TEST(IndexCandidates, FilteredColumnsAloneTogetherAndWithTheOrder) {
  const auto c = index_candidates(
      "SELECT * FROM feedback WHERE insight_id = $1 AND rating >= 3 ORDER BY created_at DESC");
  const std::vector<IndexCandidate> expected{{"feedback", {"insight_id"}},
                                             {"feedback", {"rating"}},
                                             {"feedback", {"insight_id", "rating"}},
                                             {"feedback", {"insight_id", "rating", "created_at"}}};
  EXPECT_EQ(c, expected);
}

TEST(IndexCandidates, JoinsResolveAliasesAndLeaveAmbiguousColumnsOut) {
  const auto c = index_candidates(
      "SELECT o.id FROM orders o JOIN items i ON i.order_id = o.id "
      "WHERE o.customer_id = $1 AND status = 'x'");
  const std::vector<IndexCandidate> expected{{"items", {"order_id"}},
                                             {"orders", {"id"}},
                                             {"orders", {"customer_id"}},
                                             {"orders", {"id", "customer_id"}}};
  EXPECT_EQ(c, expected);
}

TEST(IndexCandidates, UpdateDeleteAndSubselects) {
  EXPECT_EQ(index_candidates("DELETE FROM jobs WHERE job_id = $1"),
            (std::vector<IndexCandidate>{{"jobs", {"job_id"}}}));
  EXPECT_EQ(index_candidates("UPDATE jobs SET state = $2 WHERE job_id = $1"),
            (std::vector<IndexCandidate>{{"jobs", {"job_id"}}}));
  EXPECT_EQ(index_candidates("SELECT * FROM a WHERE x IN (SELECT y FROM b WHERE z = 1)"),
            (std::vector<IndexCandidate>{{"a", {"x"}}, {"b", {"z"}}}));
  EXPECT_TRUE(index_candidates("SELECT 1").empty());
  EXPECT_TRUE(index_candidates("not sql at all").empty());
}

}  // namespace
}  // namespace utxoiq::ops
