// Statement latency in a real /metrics scrape of the service is labelled by store method, the tag
// each store statement carries (store/statement_tables.hpp): after feedback and metric writes and
// reads, utxoiq_db_statement_duration_seconds has a series for each method that ran, and every
// series it has is a method of a store's statement table (or "untagged"): a bounded label set.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "store/statement_tables.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using StoreMethod = std::pair<std::string, std::string>;

std::set<StoreMethod> declared_methods() {
  namespace s = utxoiq::store;
  std::set<StoreMethod> out{{"untagged", "untagged"}};
  for (const auto table :
       {s::feedback_read_statements(), s::feedback_write_statements(), s::backfill_job_statements(),
        s::metric_read_statements(), s::metric_write_statements(), s::api_key_statements(),
        s::idempotency_key_statements()})
    for (const auto& statement : table)
      out.emplace(std::string(statement.tag.store), std::string(statement.tag.method));
  return out;
}

// The (store, method) of every utxoiq_db_statement_duration_seconds series in the scrape.
std::set<StoreMethod> scraped_methods(const std::string& exposition) {
  static const std::regex count(
      R"re(^utxoiq_db_statement_duration_seconds_count\{method="([^"]*)",store="([^"]*)"\} )re");
  std::set<StoreMethod> out;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("utxoiq_db_statement_duration_seconds_count")) continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(line, m, count)) << "unexpected labels: " << line;
    if (!m.empty()) out.emplace(m[2].str(), m[1].str());
  }
  return out;
}

TEST(StatementHistogramScrape, LabelledByStoreMethodFromTheStatementTables) {
  ServiceUnderTest service;
  auto client = service.client();
  const std::string scrape = scrape_after_traffic(client);
  const auto scraped = scraped_methods(scrape);
  for (const StoreMethod& ran : {StoreMethod{"feedback", "rate"}, StoreMethod{"feedback", "stats"},
                                 StoreMethod{"feedback", "list"}, StoreMethod{"metrics", "insert"}})
    EXPECT_TRUE(scraped.contains(ran)) << ran.first << "." << ran.second << "\n" << scrape;
  const auto declared = declared_methods();
  for (const auto& [store, method] : scraped)
    EXPECT_TRUE(declared.contains({store, method}))
        << "not a store method: " << store << "." << method;
}

}  // namespace
}  // namespace utxoiq::testing
