// FeedbackRateBatcher on a real PostgreSQL: ratings issued together go out as one statement (one
// transaction: the rows share their xmin), at most max_batch per statement, each answered with its
// own row and 201/200 as if they had run one after another; a row the database refuses fails only
// its own request, and the aggregate stays exact.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "pg/blocking_connection.hpp"
#include "pg/errors.hpp"
#include "pg/pool.hpp"
#include "store/feedback_rate_batcher.hpp"
#include "support/feedback_recount.hpp"
#include "support/pool_options.hpp"
#include "support/run_task.hpp"
#include "support/run_together.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

class FeedbackRateBatcherTest : public ::testing::Test {
 protected:
  // Issues every request in the same turn of the loop and waits for all answers.
  std::vector<CallOutcome<store::FeedbackWrite>> rate_all(
      store::FeedbackRateBatcher& batcher, const std::vector<domain::RateFeedback>& requests) {
    return run_together(io_, requests, [&batcher](const domain::RateFeedback& request) {
      return batcher.rate(request);
    });
  }

  std::int64_t transactions() {
    return std::stoll(db_.exec("SELECT count(DISTINCT xmin::text) FROM insight_feedback")
                          .rows.at(0)
                          .at(0)
                          .value());
  }
  void expect_exact_aggregate() {
    EXPECT_EQ(db_.exec(kFeedbackStatsFromAggregate).rows.at(0).at(0),
              db_.exec(kFeedbackStatsFromRows).rows.at(0).at(0));
  }

  // Records what the batcher tells its listeners.
  store::FeedbackRateBatcher::Committed notice() {
    return [this](std::vector<std::string> insights) -> Task<void> {
      notices_.push_back(std::move(insights));
      co_return;
    };
  }

  std::vector<std::vector<std::string>> notices_;
  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_migrated_database();
  pg::BlockingConnection db_{url_};
  pg::Pool pool_{io_.get_executor(), small_pool_options(url_)};
};

domain::RateFeedback rating(std::string insight, std::string user, int value) {
  return {std::move(insight), std::move(user), value};
}

TEST_F(FeedbackRateBatcherTest, RatingsIssuedTogetherAreOneStatementEachWithItsOwnAnswer) {
  store::FeedbackRateBatcher batcher(pool_, notice());
  std::vector<domain::RateFeedback> requests;
  for (int i = 0; i < 50; ++i)
    requests.push_back(rating("ins-" + std::to_string(i % 5), "u-" + std::to_string(i), 1 + i % 5));
  const auto outcomes = rate_all(batcher, requests);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    ASSERT_TRUE(outcomes[i].answer) << i;
    EXPECT_TRUE(outcomes[i].answer->created);
    EXPECT_EQ(outcomes[i].answer->feedback.user_id, requests[i].user_id);
    EXPECT_EQ(outcomes[i].answer->feedback.rating, requests[i].rating);
  }
  EXPECT_EQ(transactions(), 1);
  const std::vector<std::vector<std::string>> one_notice{
      {"ins-0", "ins-1", "ins-2", "ins-3", "ins-4"}};
  EXPECT_EQ(notices_, one_notice) << "one notice per batch, each insight once";
  expect_exact_aggregate();
}

TEST_F(FeedbackRateBatcherTest, ABatchHoldsAtMostMaxBatchRequests) {
  store::FeedbackRateBatcher batcher(pool_, notice(), 2);
  std::vector<domain::RateFeedback> requests;
  for (int i = 0; i < 5; ++i) requests.push_back(rating("ins", "u-" + std::to_string(i), 3));
  const auto outcomes = rate_all(batcher, requests);
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.answer);
  EXPECT_EQ(transactions(), 3);  // 2 + 2 + 1
}

TEST_F(FeedbackRateBatcherTest, RatingsOfOnePairInOneBatchAnswerAsIfRunInTurn) {
  store::FeedbackRateBatcher batcher(pool_, notice());
  const auto outcomes = rate_all(batcher, {rating("ins", "u", 1), rating("other", "u", 2),
                                           rating("ins", "u", 4), rating("ins", "u", 5)});
  ASSERT_TRUE(outcomes[0].answer && outcomes[2].answer && outcomes[3].answer);
  EXPECT_TRUE(outcomes[0].answer->created);
  EXPECT_EQ(outcomes[0].answer->feedback.rating, 1);
  EXPECT_FALSE(outcomes[2].answer->created);
  EXPECT_EQ(outcomes[2].answer->feedback.rating, 4);
  EXPECT_FALSE(outcomes[3].answer->created);
  EXPECT_EQ(outcomes[3].answer->feedback.rating, 5);
  EXPECT_EQ(outcomes[0].answer->feedback.id, outcomes[3].answer->feedback.id);
  EXPECT_EQ(db_.exec("SELECT rating::text FROM insight_feedback WHERE insight_id = 'ins'")
                .rows.at(0)
                .at(0),
            "5");
  // Rated again later: the record exists, so 200.
  const auto again = rate_all(batcher, {rating("ins", "u", 2)});
  ASSERT_TRUE(again[0].answer);
  EXPECT_FALSE(again[0].answer->created);
  expect_exact_aggregate();
}

TEST_F(FeedbackRateBatcherTest, ARowTheDatabaseRefusesFailsOnlyItsOwnRequest) {
  store::FeedbackRateBatcher batcher(pool_, notice());
  // 9 breaks insight_feedback_rating_check (the API validates before; this is the last guard).
  const auto outcomes =
      rate_all(batcher, {rating("ins", "a", 4), rating("ins", "b", 9), rating("ins", "c", 2)});
  EXPECT_TRUE(outcomes[0].answer);
  EXPECT_TRUE(outcomes[2].answer);
  ASSERT_TRUE(outcomes[1].error);
  try {
    std::rethrow_exception(outcomes[1].error);
  } catch (const pg::QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "23514");
  }
  const std::vector<std::vector<std::string>> one_notice{{"ins"}};
  EXPECT_EQ(notices_, one_notice);
  EXPECT_EQ(db_.exec("SELECT string_agg(user_id, ',' ORDER BY user_id) FROM insight_feedback")
                .rows.at(0)
                .at(0),
            "a,c");
  expect_exact_aggregate();
}

}  // namespace
}  // namespace utxoiq::testing
