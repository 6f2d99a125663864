// The index advisor on a real PostgreSQL 15 with hypopg: on a seeded table without the index a
// selective statement is expensive and the advisor proposes exactly the index that fixes it;
// created for real, the index cuts the cost as hypopg said. Unused, duplicate and invalid indexes
// are found on a schema made to have them; without hypopg it says so and still lists them.
#include <gtest/gtest.h>

#include "ops/index_advisor.hpp"
#include "pg/blocking_connection.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::ops {
namespace {

class IndexAdvisor : public ::testing::Test {
 protected:
  IndexAdvisor() : db_(testing::TestServers::get().create_database()), c_(db_) {}

  void seed_orders() {
    c_.exec(
        "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, "
        "status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());"
        "INSERT INTO orders (customer_id, status) "
        "SELECT i % 5000, CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'open' END "
        "FROM generate_series(1, 200000) AS i;"
        "ANALYZE orders");
  }

  std::string db_;
  pg::BlockingConnection c_;
  const AdvisedStatement selective_{
      "f1", "SELECT id, status FROM orders WHERE customer_id = $1", {std::string("42")}};
};

TEST_F(IndexAdvisor, ProposesExactlyTheIndexThatFixesASelectiveStatement) {
  c_.exec("CREATE EXTENSION hypopg");
  seed_orders();
  const AdvisedStatement cheap{"f2", "SELECT 1", {}};
  const auto advice = advise_indexes(c_, {selective_, cheap});
  EXPECT_TRUE(advice.hypopg);
  ASSERT_EQ(advice.suggestions.size(), 1u);
  const auto& s = advice.suggestions[0];
  EXPECT_EQ(s.table, "orders");
  EXPECT_EQ(s.columns, std::vector<std::string>{"customer_id"});
  EXPECT_EQ(s.statement, "CREATE INDEX CONCURRENTLY ON orders (customer_id)");
  EXPECT_EQ(s.fingerprints, std::vector<std::string>{"f1"});
  EXPECT_GE(s.cost_before, 100.0);
  EXPECT_LE(s.cost_after, s.cost_before / 2);
  // Nothing was created: the statement still costs what it did.
  EXPECT_DOUBLE_EQ(estimated_cost(c_, selective_), s.cost_before);

  c_.exec(s.statement);
  c_.exec("ANALYZE orders");
  const double real_after = estimated_cost(c_, selective_);
  EXPECT_LE(real_after, s.cost_before / 2);
  EXPECT_LE(real_after, s.cost_after * 2);  // what hypopg estimated, within a factor of 2
  EXPECT_GE(real_after, s.cost_after / 2);
  EXPECT_TRUE(advise_indexes(c_, {selective_}).suggestions.empty());  // fixed: nothing to add
}

TEST_F(IndexAdvisor, FindsUnusedDuplicateAndInvalidIndexes) {
  c_.exec("CREATE EXTENSION hypopg");
  c_.exec(
      "CREATE TABLE things (a int, b int, c int);"
      "INSERT INTO things SELECT i, i, i % 10 FROM generate_series(1, 1000) AS i;"
      "CREATE INDEX things_a ON things (a);"
      "CREATE INDEX things_a_b ON things (a, b)");
  // A unique index over duplicate values, built concurrently, fails and stays INVALID.
  EXPECT_THROW(c_.exec("CREATE UNIQUE INDEX CONCURRENTLY things_c_unique ON things (c)"),
               pg::BlockingConnectionError);
  IndexAdvisorOptions options;
  options.min_unused_bytes = 0;
  const auto advice = advise_indexes(c_, {}, options);
  ASSERT_EQ(advice.duplicates.size(), 1u);
  EXPECT_EQ(advice.duplicates[0].index, "things_a");
  EXPECT_EQ(advice.duplicates[0].duplicate_of, "things_a_b");
  EXPECT_EQ(advice.duplicates[0].table, "things");
  ASSERT_EQ(advice.invalid.size(), 1u);
  EXPECT_EQ(advice.invalid[0].index, "things_c_unique");
  std::vector<std::string> unused;
  for (const auto& u : advice.unused) {
    unused.push_back(u.index);
    EXPECT_EQ(u.scans, 0);
    EXPECT_GT(u.bytes, 0);
  }
  EXPECT_EQ(unused, (std::vector<std::string>{"things_a", "things_a_b"}));
  // Above a size only: these small ones are not listed by default (1 MiB).
  EXPECT_TRUE(advise_indexes(c_, {}).unused.empty());
}

TEST_F(IndexAdvisor, WithoutHypopgSaysSoAndStillListsTheCatalogChecks) {
  seed_orders();
  c_.exec(
      "CREATE INDEX orders_customer ON orders (customer_id);"
      "CREATE INDEX orders_customer_status ON orders (customer_id, status)");
  const auto advice = advise_indexes(c_, {selective_});
  EXPECT_FALSE(advice.hypopg);
  EXPECT_TRUE(advice.suggestions.empty());
  ASSERT_EQ(advice.duplicates.size(), 1u);
  EXPECT_EQ(advice.duplicates[0].index, "orders_customer");
}

}  // namespace
}  // namespace utxoiq::ops
