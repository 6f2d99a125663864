// QueryBuilder: values become numbered parameters, conditions are joined with WHERE/AND, and only
// the fixed fragments the caller wrote reach the SQL text.
#include <gtest/gtest.h>

#include "store/internal/query_builder.hpp"

namespace utxoiq::store {
namespace {

TEST(QueryBuilder, WithoutConditionsTheSelectIsUnchanged) {
  QueryBuilder q("SELECT id FROM t");
  q.append(" ORDER BY id");
  EXPECT_EQ(q.sql(), "SELECT id FROM t ORDER BY id");
  EXPECT_TRUE(q.params().empty());
}

TEST(QueryBuilder, ConditionsAreJoinedAndValuesBound) {
  QueryBuilder q("SELECT id FROM t");
  q.where("a = " + q.bind(std::string("x'; DROP TABLE t; --")));
  q.where("b IS NULL");
  q.where("c < " + q.bind(pg::to_param(5)));
  q.append(" LIMIT " + q.bind(pg::to_param(51)));
  EXPECT_EQ(q.sql(), "SELECT id FROM t WHERE a = $1 AND b IS NULL AND c < $2 LIMIT $3");
  ASSERT_EQ(q.params().size(), 3u);
  EXPECT_EQ(q.params()[0], "x'; DROP TABLE t; --");
  EXPECT_EQ(q.params()[1], "5");
  EXPECT_EQ(q.params()[2], "51");
}

}  // namespace
}  // namespace utxoiq::store
