// QueryInsight fed QueryEvents directly (no server): past max_fingerprints distinct statements the
// new ones are counted together under "other" and nothing is lost from the totals, the samples
// kept for the index advisor stay bounded too; statement latency is exposed per store method
// (the tag of the statement), never per fingerprint or per SQL text.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "obs/metrics.hpp"
#include "pg/query_insight.hpp"

namespace utxoiq::pg {
namespace {

using namespace std::chrono_literals;

QueryEvent event(std::string_view sql, StatementTag tag = {}) {
  QueryEvent e;
  e.sql = sql;
  e.duration = 2ms;
  e.rows = 1;
  e.tag = tag;
  return e;
}

std::size_t occurrences(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST(QueryInsightBound, PastTheBoundNewStatementsAreCountedUnderOtherAndNothingIsLost) {
  boost::asio::io_context io;
  obs::Registry registry;
  QueryInsight insight(io.get_executor(), {.max_fingerprints = 3}, registry);
  std::vector<std::string> texts;
  for (int i = 0; i < 8; ++i) texts.push_back("SELECT a FROM t" + std::to_string(i));
  for (const auto& sql : texts) insight.observe(event(sql));
  insight.observe(event(texts[0]));  // known before the bound: still counted on its own
  insight.observe(event(texts[7]));  // first seen past the bound: "other" again

  const auto figures = insight.statements();
  ASSERT_EQ(figures.size(), 4u);  // 3 statements and "other"
  std::uint64_t calls = 0;
  for (const auto& f : figures) {
    calls += f.calls;
    if (f.fingerprint == StatementStats::kOther) {
      EXPECT_EQ(f.calls, 6u);
      EXPECT_EQ(f.rows, 6);
    }
  }
  EXPECT_EQ(calls, 10u);
  EXPECT_LE(insight.advisor_statements(100).size(), 3u);
}

TEST(QueryInsightBound, StatementLatencyIsLabelledByStoreMethodOnly) {
  boost::asio::io_context io;
  obs::Registry registry;
  QueryInsight insight(io.get_executor(), {}, registry);
  const StatementTag rate{"feedback", "rate", StatementAccess::write};
  const StatementTag stats{"feedback", "stats", StatementAccess::read};
  // Many SQL texts of one method still make one series.
  for (int i = 0; i < 20; ++i) insight.observe(event("SELECT " + std::to_string(i), stats));
  insight.observe(event("INSERT INTO t VALUES (1)", rate));
  insight.observe(event("BEGIN"));

  const std::string scrape = registry.expose();
  const std::string count = "utxoiq_db_statement_duration_seconds_count";
  EXPECT_NE(scrape.find(count + R"({method="stats",store="feedback"} 20)"), std::string::npos)
      << scrape;
  EXPECT_NE(scrape.find(count + R"({method="rate",store="feedback"} 1)"), std::string::npos);
  EXPECT_NE(scrape.find(count + R"({method="untagged",store="untagged"} 1)"), std::string::npos);
  EXPECT_EQ(occurrences(scrape, count + "{"), 3u) << scrape;
  EXPECT_EQ(scrape.find("route="), std::string::npos);
}

}  // namespace
}  // namespace utxoiq::pg
