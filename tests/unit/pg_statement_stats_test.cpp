// Statement identity (libpg_query fingerprint and normalized text), the fingerprint cache, the
// per-fingerprint figures and their bound.
#include <gtest/gtest.h>

#include "pg/statement_fingerprint.hpp"
#include "pg/statement_stats.hpp"

namespace utxoiq::pg {
namespace {

using namespace std::chrono;

TEST(StatementFingerprint, SameStatementWithOtherLiteralsHasTheSameFingerprint) {
  const auto a = identify_statement("SELECT * FROM feedback WHERE insight_id = 'a' AND rating = 5");
  const auto b =
      identify_statement("SELECT * FROM feedback WHERE insight_id = 'zz' AND rating = 1");
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.id.size(), 16u);
  EXPECT_EQ(a.normalized, "SELECT * FROM feedback WHERE insight_id = $1 AND rating = $2");
}

TEST(StatementFingerprint, DifferentStatementsHaveDifferentFingerprints) {
  const auto a = identify_statement("SELECT * FROM feedback WHERE insight_id = $1");
  const auto b = identify_statement("SELECT * FROM feedback WHERE user_id = $1");
  const auto c = identify_statement("DELETE FROM feedback WHERE insight_id = $1");
  EXPECT_NE(a.fingerprint, b.fingerprint);
  EXPECT_NE(a.fingerprint, c.fingerprint);
  EXPECT_NE(b.fingerprint, c.fingerprint);
}

TEST(StatementFingerprint, UnparsableTextKeepsNoLiteral) {
  const auto a = identify_statement("SELEKT secret FROM");
  EXPECT_EQ(a.normalized, "(unparsable statement)");
  EXPECT_EQ(a.fingerprint, identify_statement("SELEKT secret FROM").fingerprint);
}

TEST(FingerprintCache, RemembersUpToItsBoundThenStillAnswers) {
  FingerprintCache cache(2);
  const StatementIdentity& first = cache.get("SELECT 1");
  EXPECT_EQ(&first, &cache.get("SELECT 1"));  // not parsed again
  cache.get("SELECT 2 FROM t");
  EXPECT_EQ(cache.size(), 2u);
  const auto third = cache.get("SELECT a FROM u WHERE b = 3");
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(third.normalized, "SELECT a FROM u WHERE b = $1");
}

TEST(StatementStats, FiguresPerFingerprintMostTotalTimeFirst) {
  StatementStats stats;
  const auto quick = identify_statement("SELECT 1");
  const auto slow = identify_statement("SELECT pg_sleep(1)");
  for (int i = 1; i <= 100; ++i) stats.record(quick, milliseconds(i), 1);
  stats.record(slow, seconds(10), -1);
  const auto figures = stats.snapshot();
  ASSERT_EQ(figures.size(), 2u);
  EXPECT_EQ(figures[0].fingerprint, slow.id);
  EXPECT_EQ(figures[0].rows, 0);
  EXPECT_EQ(figures[1].calls, 100u);
  EXPECT_DOUBLE_EQ(figures[1].total_ms, 5050.0);
  EXPECT_DOUBLE_EQ(figures[1].mean_ms, 50.5);
  EXPECT_DOUBLE_EQ(figures[1].max_ms, 100.0);
  EXPECT_EQ(figures[1].rows, 100);
  EXPECT_GE(figures[1].p95_ms, 95.0);  // the sketch's bucket bound: within 10% above
  EXPECT_LE(figures[1].p95_ms, 95.0 * 1.1);
}

TEST(StatementStats, PastTheBoundNewStatementsAreAddedUnderOther) {
  StatementStats stats(2);
  stats.record(identify_statement("SELECT 1"), milliseconds(1), 1);
  stats.record(identify_statement("SELECT a FROM b"), milliseconds(2), 1);
  stats.record(identify_statement("SELECT c FROM d"), milliseconds(3), 1);
  stats.record(identify_statement("SELECT e FROM f"), milliseconds(4), 1);
  stats.record(identify_statement("SELECT 2"), milliseconds(5), 1);  // known: SELECT $1
  EXPECT_EQ(stats.size(), 2u);
  const auto figures = stats.snapshot();
  ASSERT_EQ(figures.size(), 3u);
  EXPECT_EQ(figures[0].fingerprint, StatementStats::kOther);
  EXPECT_EQ(figures[0].calls, 2u);
  EXPECT_DOUBLE_EQ(figures[0].total_ms, 7.0);
  EXPECT_EQ(figures[1].calls, 2u);  // SELECT 1 and SELECT 2
  EXPECT_DOUBLE_EQ(figures[1].total_ms, 6.0);
}

}  // namespace
}  // namespace utxoiq::pg
