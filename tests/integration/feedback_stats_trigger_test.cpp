// The aggregate table insight_feedback_stats against the rows it summarises, for every kind of
// statement the triggers (migrations 0001, 0002) see — not only the API's single-row upserts:
// multi-row inserts, updates that move rows between insights or change nothing counted, bulk
// deletes and TRUNCATE. After each statement the aggregate must equal counts computed by SQL from
// insight_feedback itself.
#include <gtest/gtest.h>

#include <string>

#include "pg/blocking_connection.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

// Per insight: "insight:ratings,sum,r1..r5,comments,flags,inaccurate,misleading,spam,other;",
// from the rows and from the aggregate (insights whose aggregate is all zeros are left out, as
// an insight without rows has no row counts either).
constexpr const char* kFromRows =
    "SELECT coalesce(string_agg(line, ';' ORDER BY line), '') FROM ("
    " SELECT insight_id || ':' || concat_ws(',', count(rating), coalesce(sum(rating), 0),"
    "  count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2),"
    "  count(*) FILTER (WHERE rating = 3), count(*) FILTER (WHERE rating = 4),"
    "  count(*) FILTER (WHERE rating = 5), count(comment), count(flag_type),"
    "  count(*) FILTER (WHERE flag_type = 'inaccurate'),"
    "  count(*) FILTER (WHERE flag_type = 'misleading'),"
    "  count(*) FILTER (WHERE flag_type = 'spam'), count(*) FILTER (WHERE flag_type = 'other'))"
    "  AS line FROM insight_feedback GROUP BY insight_id"
    "  HAVING count(rating) + count(comment) + count(flag_type) > 0) AS t";
constexpr const char* kFromAggregate =
    "SELECT coalesce(string_agg(line, ';' ORDER BY line), '') FROM ("
    " SELECT insight_id || ':' || concat_ws(',', total_ratings, rating_sum, rating_1, rating_2,"
    "  rating_3, rating_4, rating_5, total_comments, total_flags, flag_inaccurate,"
    "  flag_misleading, flag_spam, flag_other) AS line FROM insight_feedback_stats"
    "  WHERE total_ratings + total_comments + total_flags > 0) AS t";

class FeedbackStatsTrigger : public ::testing::Test {
 protected:
  void expect_consistent(const std::string& after) {
    const auto rows = db_.exec(kFromRows).rows.at(0).at(0).value_or("");
    const auto aggregate = db_.exec(kFromAggregate).rows.at(0).at(0).value_or("");
    EXPECT_EQ(aggregate, rows) << "after " << after;
  }
  std::string updated_at(const std::string& insight) {
    return db_
        .exec("SELECT updated_at::text FROM insight_feedback_stats WHERE insight_id = '" + insight +
              "'")
        .rows.at(0)
        .at(0)
        .value_or("");
  }

  pg::BlockingConnection db_{TestServers::get().create_migrated_database()};
};

TEST_F(FeedbackStatsTrigger, FollowsEveryKindOfStatement) {
  db_.exec(
      "INSERT INTO insight_feedback (id, insight_id, user_id, rating, comment, flag_type) "
      "SELECT gen_random_uuid(), 'insight-' || (i % 7), 'user-' || i, "
      "CASE WHEN i % 4 = 0 THEN NULL ELSE 1 + i % 5 END, "
      "CASE WHEN i % 3 = 0 THEN 'c' || i END, "
      "(ARRAY[NULL, 'inaccurate', 'misleading', 'spam', 'other'])[1 + i % 5] "
      "FROM generate_series(1, 500) AS i");
  expect_consistent("a 500-row insert");

  db_.exec("UPDATE insight_feedback SET rating = 6 - rating WHERE rating IS NOT NULL");
  expect_consistent("re-rating every row");

  db_.exec("UPDATE insight_feedback SET insight_id = 'insight-moved' WHERE user_id LIKE '%7'");
  expect_consistent("moving rows to another insight");

  db_.exec("UPDATE insight_feedback SET flag_type = NULL, comment = 'x' WHERE rating = 2");
  expect_consistent("clearing flags and setting comments");

  db_.exec("DELETE FROM insight_feedback WHERE insight_id IN ('insight-1', 'insight-2')");
  expect_consistent("a bulk delete");

  db_.exec("UPDATE insight_feedback SET user_id = user_id || '-renamed' WHERE rating = 5");
  expect_consistent("an update that changes nothing counted");

  db_.exec("TRUNCATE insight_feedback");
  expect_consistent("TRUNCATE");
  EXPECT_EQ(db_.exec("SELECT count(*) FROM insight_feedback_stats").rows.at(0).at(0), "0");
}

TEST_F(FeedbackStatsTrigger, AnUpdateThatChangesNoCountLeavesTheAggregateRowAlone) {
  db_.exec(
      "INSERT INTO insight_feedback (id, insight_id, user_id, rating, comment) "
      "VALUES (gen_random_uuid(), 'i', 'u', 4, 'first')");
  const std::string before = updated_at("i");
  db_.exec("UPDATE insight_feedback SET comment = 'edited', rating = 4, updated_at = now()");
  EXPECT_EQ(updated_at("i"), before);
  expect_consistent("a comment edit");
  db_.exec("UPDATE insight_feedback SET rating = 3");
  EXPECT_NE(updated_at("i"), before);
  expect_consistent("a new rating");
}

}  // namespace
}  // namespace utxoiq::testing
