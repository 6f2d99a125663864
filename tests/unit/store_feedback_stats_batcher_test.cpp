// FeedbackStatsBatcher over a fake read (store/feedback_stats_batcher.hpp): the single reads
// issued together go out as one read per origin, each answered with its own insight's statistics;
// reads of different origins never share a read (so none goes where its own request's read could
// not); a failed read fails only the reads of its origin; at most max_batch ids per read.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/feedback_stats_batcher.hpp"
#include "support/run_together.hpp"

namespace utxoiq::store {
namespace {

struct Read {
  pg::ReadOrigin origin;
  std::vector<std::string> ids;
};

struct Ask {
  std::string insight_id;
  pg::ReadOrigin origin;
};

const pg::ReadOrigin kReplicaReader{.routing_key = "key-a", .may_use_replicas = true};
const pg::ReadOrigin kOtherKey{.routing_key = "key-b", .may_use_replicas = true};
const pg::ReadOrigin kPrimary{};

class FeedbackStatsBatcherTest : public ::testing::Test {
 protected:
  // The fake database: records each read; the statistics of insight "i-N" have N comments. A
  // read for `failing_key_` throws.
  FeedbackStatsBatcher::ReadMany fake_read() {
    return [this](pg::ReadOrigin origin,
                  std::vector<std::string> ids) -> Task<std::vector<domain::FeedbackStats>> {
      reads_.push_back({origin, ids});
      if (origin.routing_key == failing_key_) throw std::runtime_error("database unavailable");
      std::vector<domain::FeedbackStats> all;
      for (const auto& id : ids) {
        domain::FeedbackStats stats;
        stats.insight_id = id;
        stats.total_comments = std::stoll(id.substr(2));
        all.push_back(stats);
      }
      co_return all;
    };
  }

  // Issues every read in the same turn of the loop and waits for all answers.
  std::vector<testing::CallOutcome<domain::FeedbackStats>> ask_all(FeedbackStatsBatcher& batcher,
                                                                   const std::vector<Ask>& asks) {
    return testing::run_together(io_, asks, [&batcher](const Ask& ask) {
      return batcher.stats(ask.insight_id, ask.origin);
    });
  }

  static std::vector<Ask> asks(int n, const pg::ReadOrigin& origin, int first = 0) {
    std::vector<Ask> all;
    for (int i = first; i < first + n; ++i) all.push_back({"i-" + std::to_string(i), origin});
    return all;
  }

  boost::asio::io_context io_;
  std::vector<Read> reads_;
  std::string failing_key_ = "none";
};

TEST_F(FeedbackStatsBatcherTest, ReadsIssuedTogetherAreOneReadEachAnsweredWithItsOwnInsight) {
  FeedbackStatsBatcher batcher(io_.get_executor(), fake_read());
  const auto outcomes = ask_all(batcher, asks(40, kReplicaReader));
  ASSERT_EQ(reads_.size(), 1u);
  EXPECT_EQ(reads_[0].ids.size(), 40u);
  EXPECT_EQ(reads_[0].origin, kReplicaReader);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].answer) << i;
    EXPECT_EQ(outcomes[i].answer->insight_id, "i-" + std::to_string(i));
    EXPECT_EQ(outcomes[i].answer->total_comments, static_cast<std::int64_t>(i));
  }
}

TEST_F(FeedbackStatsBatcherTest, EachOriginIsReadOnItsOwnWithOnlyItsOwnIds) {
  FeedbackStatsBatcher batcher(io_.get_executor(), fake_read());
  std::vector<Ask> mixed;
  for (int i = 0; i < 30; ++i) {
    const pg::ReadOrigin& origin = i % 3 == 0 ? kReplicaReader : i % 3 == 1 ? kOtherKey : kPrimary;
    mixed.push_back({"i-" + std::to_string(i), origin});
  }
  const auto outcomes = ask_all(batcher, mixed);
  ASSERT_EQ(reads_.size(), 3u);
  for (const Read& read : reads_) {
    EXPECT_EQ(read.ids.size(), 10u);
    for (const auto& id : read.ids) {
      const int i = std::stoi(id.substr(2));
      EXPECT_EQ(mixed[static_cast<std::size_t>(i)].origin, read.origin) << id;
    }
  }
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].answer) << i;
    EXPECT_EQ(outcomes[i].answer->insight_id, mixed[i].insight_id);
  }
}

TEST_F(FeedbackStatsBatcherTest, AFailedReadFailsOnlyTheReadsOfItsOrigin) {
  FeedbackStatsBatcher batcher(io_.get_executor(), fake_read());
  failing_key_ = kOtherKey.routing_key;
  std::vector<Ask> mixed = asks(5, kReplicaReader);
  for (const Ask& ask : asks(5, kOtherKey, 5)) mixed.push_back(ask);
  const auto outcomes = ask_all(batcher, mixed);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_TRUE(outcomes[i].answer) << i;
  for (std::size_t i = 5; i < 10; ++i) {
    EXPECT_FALSE(outcomes[i].answer) << i;
    EXPECT_TRUE(outcomes[i].error) << i;
  }
}

TEST_F(FeedbackStatsBatcherTest, AReadHoldsAtMostMaxBatchIds) {
  FeedbackStatsBatcher batcher(io_.get_executor(), fake_read(), 4);
  const auto outcomes = ask_all(batcher, asks(10, kPrimary));
  ASSERT_EQ(reads_.size(), 3u);  // 4 + 4 + 2
  EXPECT_EQ(reads_[0].ids.size(), 4u);
  EXPECT_EQ(reads_[2].ids.size(), 2u);
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.answer);
}

TEST_F(FeedbackStatsBatcherTest, AReadAloneIsAnsweredAlone) {
  FeedbackStatsBatcher batcher(io_.get_executor(), fake_read());
  const auto outcomes = ask_all(batcher, asks(1, kReplicaReader, 7));
  ASSERT_EQ(reads_.size(), 1u);
  ASSERT_TRUE(outcomes[0].answer);
  EXPECT_EQ(outcomes[0].answer->total_comments, 7);
}

}  // namespace
}  // namespace utxoiq::store
