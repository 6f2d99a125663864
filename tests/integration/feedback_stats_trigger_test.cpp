// The aggregate table insight_feedback_stats against the rows it summarises, for every kind of
// statement the triggers (migrations 0001, 0002) see — not only the API's single-row upserts:
// multi-row inserts, updates that move rows between insights or change nothing counted, bulk
// deletes and TRUNCATE. After each statement the aggregate must equal counts computed by SQL from
// insight_feedback itself.
#include <gtest/gtest.h>

#include <string>

#include "pg/blocking_connection.hpp"
#include "support/feedback_recount.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

class FeedbackStatsTrigger : public ::testing::Test {
 protected:
  void expect_consistent(const std::string& after) {
    const auto rows = db_.exec(kFeedbackStatsFromRows).rows.at(0).at(0).value_or("");
    const auto aggregate = db_.exec(kFeedbackStatsFromAggregate).rows.at(0).at(0).value_or("");
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
