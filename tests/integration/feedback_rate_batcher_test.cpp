// FeedbackRateBatcher on a real PostgreSQL: ratings issued together go out as one statement (one
// transaction: the rows share their xmin), at most max_batch per statement, each answered with its
// own row and 201/200 as if they had run one after another; a row the database refuses fails only
// its own request, and the aggregate stays exact.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
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
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

struct Outcome {
  std::optional<store::FeedbackWrite> write;
  std::exception_ptr error;
};

class FeedbackRateBatcherTest : public ::testing::Test {
 protected:
  // Issues every request in the same turn of the loop and waits for all answers.
  std::vector<Outcome> rate_all(store::FeedbackRateBatcher& batcher,
                                const std::vector<domain::RateFeedback>& requests) {
    std::vector<Outcome> outcomes(requests.size());
    std::size_t left = requests.size();
    for (std::size_t i = 0; i < requests.size(); ++i) {
      boost::asio::co_spawn(io_, batcher.rate(requests[i]),
                            [&, i](std::exception_ptr error, store::FeedbackWrite write) {
                              if (error) {
                                outcomes[i].error = error;
                              } else {
                                outcomes[i].write = std::move(write);
                              }
                              --left;
                            });
    }
    while (left > 0 && io_.run_one() > 0) {
    }
    EXPECT_EQ(left, 0u);
    return outcomes;
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

  pg::PoolOptions options() const {
    pg::PoolOptions o;
    o.conninfo = url_;
    o.min_size = 1;
    o.max_size = 4;
    return o;
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
  pg::Pool pool_{io_.get_executor(), options()};
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
    ASSERT_TRUE(outcomes[i].write) << i;
    EXPECT_TRUE(outcomes[i].write->created);
    EXPECT_EQ(outcomes[i].write->feedback.user_id, requests[i].user_id);
    EXPECT_EQ(outcomes[i].write->feedback.rating, requests[i].rating);
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
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.write);
  EXPECT_EQ(transactions(), 3);  // 2 + 2 + 1
}

TEST_F(FeedbackRateBatcherTest, RatingsOfOnePairInOneBatchAnswerAsIfRunInTurn) {
  store::FeedbackRateBatcher batcher(pool_, notice());
  const auto outcomes = rate_all(batcher, {rating("ins", "u", 1), rating("other", "u", 2),
                                           rating("ins", "u", 4), rating("ins", "u", 5)});
  ASSERT_TRUE(outcomes[0].write && outcomes[2].write && outcomes[3].write);
  EXPECT_TRUE(outcomes[0].write->created);
  EXPECT_EQ(outcomes[0].write->feedback.rating, 1);
  EXPECT_FALSE(outcomes[2].write->created);
  EXPECT_EQ(outcomes[2].write->feedback.rating, 4);
  EXPECT_FALSE(outcomes[3].write->created);
  EXPECT_EQ(outcomes[3].write->feedback.rating, 5);
  EXPECT_EQ(outcomes[0].write->feedback.id, outcomes[3].write->feedback.id);
  EXPECT_EQ(db_.exec("SELECT rating::text FROM insight_feedback WHERE insight_id = 'ins'")
                .rows.at(0)
                .at(0),
            "5");
  // Rated again later: the record exists, so 200.
  const auto again = rate_all(batcher, {rating("ins", "u", 2)});
  ASSERT_TRUE(again[0].write);
  EXPECT_FALSE(again[0].write->created);
  expect_exact_aggregate();
}

TEST_F(FeedbackRateBatcherTest, ARowTheDatabaseRefusesFailsOnlyItsOwnRequest) {
  store::FeedbackRateBatcher batcher(pool_, notice());
  // 9 breaks insight_feedback_rating_check (the API validates before; this is the last guard).
  const auto outcomes =
      rate_all(batcher, {rating("ins", "a", 4), rating("ins", "b", 9), rating("ins", "c", 2)});
  EXPECT_TRUE(outcomes[0].write);
  EXPECT_TRUE(outcomes[2].write);
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
