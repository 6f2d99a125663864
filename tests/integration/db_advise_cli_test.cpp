// `utxoiq-store db advise` through the real binary on a real PostgreSQL 15: on a seeded table
// without the index, a selective statement given with --statement gets exactly the index that
// fixes it, and nothing is created; on a database without the hypopg extension the JSON says
// `"hypopg": false`, has no suggestion, and still lists the duplicate index.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>
#include <string>

#include "pg/blocking_connection.hpp"
#include "support/cli_runner.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

constexpr const char* kSelective = "SELECT id, status FROM orders WHERE customer_id = 42";

void seed_orders(pg::BlockingConnection& c) {
  c.exec(
      "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, "
      "status text NOT NULL);"
      "INSERT INTO orders (customer_id, status) "
      "SELECT i % 5000, CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'open' END "
      "FROM generate_series(1, 200000) AS i;"
      "ANALYZE orders");
}

// Runs `db advise` and returns the JSON it printed (its one line starting with '{').
boost::json::object advise(const std::string& url) {
  const auto run = run_utxoiq({"db", "advise", "--database-url", url, "--statement", kSelective});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(R"({"suggestions")")) return boost::json::parse(line).as_object();
  ADD_FAILURE() << "no advice printed: " << run.output;
  return {};
}

std::size_t index_count(pg::BlockingConnection& c) {
  return std::stoul(c.exec("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'")
                        .rows.at(0)
                        .at(0)
                        .value());
}

TEST(DbAdviseCli, ProposesExactlyTheMissingIndexAndCreatesNothing) {
  const std::string url = TestServers::get().create_database();
  pg::BlockingConnection c(url);
  c.exec("CREATE EXTENSION hypopg");
  seed_orders(c);

  const auto advice = advise(url);
  EXPECT_EQ(advice.at("hypopg"), true);
  const auto& suggestions = advice.at("suggestions").as_array();
  ASSERT_EQ(suggestions.size(), 1u) << boost::json::serialize(advice);
  const auto& s = suggestions[0].as_object();
  EXPECT_EQ(s.at("table"), "orders");
  EXPECT_EQ(s.at("columns"), boost::json::array{"customer_id"});
  EXPECT_EQ(s.at("statement"), "CREATE INDEX CONCURRENTLY ON orders (customer_id)");
  EXPECT_GE(s.at("cost_before").to_number<double>(), 100.0);
  EXPECT_LE(s.at("cost_after").to_number<double>(), s.at("cost_before").to_number<double>() / 2);
  EXPECT_EQ(index_count(c), 1u);  // the primary key only: the advisor never creates one
}

TEST(DbAdviseCli, WithoutHypopgSaysSoAndStillListsTheRest) {
  const std::string url = TestServers::get().create_database();
  pg::BlockingConnection c(url);
  seed_orders(c);
  c.exec(
      "CREATE INDEX orders_status ON orders (status);"
      "CREATE INDEX orders_status_customer ON orders (status, customer_id)");

  const auto advice = advise(url);
  EXPECT_EQ(advice.at("hypopg"), false);
  EXPECT_TRUE(advice.at("suggestions").as_array().empty());
  const auto& duplicates = advice.at("duplicates").as_array();
  ASSERT_EQ(duplicates.size(), 1u) << boost::json::serialize(advice);
  EXPECT_EQ(duplicates[0].at("index"), "orders_status");
  EXPECT_EQ(duplicates[0].at("duplicate_of"), "orders_status_customer");
  EXPECT_EQ(index_count(c), 3u);
}

}  // namespace
}  // namespace utxoiq::testing
