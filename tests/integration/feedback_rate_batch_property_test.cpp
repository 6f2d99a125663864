// Batched ratings (store/internal/rate_batch.hpp, the statement FeedbackRateBatcher sends) on a
// real PostgreSQL, as RapidCheck properties (100+ cases): after random sequences of batches —
// with several ratings of one (insight, user) inside a batch — mixed with comments and erasures,
// insight_feedback_stats equals a recount of insight_feedback (the statement-level triggers keep
// it exact per batch), and every request's answer is the one it would get if the requests ran one
// after another: its own rating, 201 only for the first rating of a pair that did not exist.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pg/blocking_connection.hpp"
#include "store/internal/rate_batch.hpp"
#include "support/feedback_recount.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using Pair = std::pair<std::string, std::string>;

// A small space of pairs, so that batches repeat pairs and meet existing records often.
rc::Gen<domain::RateFeedback> gen_rating() {
  return rc::gen::build<domain::RateFeedback>(
      rc::gen::set(
          &domain::RateFeedback::insight_id,
          rc::gen::map(rc::gen::inRange(0, 3), [](int i) { return "ins-" + std::to_string(i); })),
      rc::gen::set(
          &domain::RateFeedback::user_id,
          rc::gen::map(rc::gen::inRange(0, 4), [](int i) { return "user-" + std::to_string(i); })),
      rc::gen::set(&domain::RateFeedback::rating, rc::gen::inRange(1, 6)));
}

pg::BlockingConnection& database() {
  static pg::BlockingConnection db{TestServers::get().create_migrated_database()};
  return db;
}

// Sends one batch as the batcher does; the answers, in request order.
std::vector<store::FeedbackWrite> write_batch(const std::vector<domain::RateFeedback>& batch) {
  const store::detail::RateBatchPlan plan(batch);
  const auto result =
      database().exec_params(std::string(store::detail::rate_batch_statement().sql), plan.params());
  RC_ASSERT(result.rows.size() == plan.distinct_rows());
  std::vector<store::FeedbackWrite> written;
  for (std::size_t row = 0; row < result.rows.size(); ++row) {
    store::FeedbackWrite w;
    w.feedback.insight_id = result.at(row, "insight_id").value();
    w.feedback.user_id = result.at(row, "user_id").value();
    w.feedback.rating = std::stoi(result.at(row, "rating").value());
    w.created = result.at(row, "created").value() == "t";
    written.push_back(std::move(w));
  }
  return plan.answers(written);
}

void expect_exact_aggregate() {
  const auto rows = database().exec(kFeedbackStatsFromRows).rows.at(0).at(0).value_or("");
  const auto aggregate = database().exec(kFeedbackStatsFromAggregate).rows.at(0).at(0).value_or("");
  RC_ASSERT(aggregate == rows);
}

RC_GTEST_PROP(FeedbackRateBatch, StatsStayExactAndAnswersMatchRunningOneAfterAnother, ()) {
  database().exec("TRUNCATE insight_feedback");  // the TRUNCATE trigger empties the aggregate
  std::map<Pair, int> model;                     // pair -> rating, as running one by one leaves it
  const int steps = *rc::gen::inRange(1, 8);
  for (int step = 0; step < steps; ++step) {
    const int kind = *rc::gen::inRange(0, 5);
    if (kind == 0) {  // a comment on a pair, so batches also update records with other fields
      const auto r = *gen_rating();
      database().exec_params(
          "INSERT INTO insight_feedback (id, insight_id, user_id, comment) "
          "VALUES (gen_random_uuid(), $1, $2, 'c') ON CONFLICT (insight_id, user_id) "
          "DO UPDATE SET comment = 'c'",
          {r.insight_id, r.user_id});
      model.try_emplace({r.insight_id, r.user_id}, 0);  // 0: a record without rating
    } else if (kind == 1) {                             // erasure of a user
      const std::string user = (*gen_rating()).user_id;
      database().exec_params("DELETE FROM insight_feedback WHERE user_id = $1", {user});
      std::erase_if(model, [&](const auto& entry) { return entry.first.second == user; });
    } else {
      const auto batch = *rc::gen::resize(
          40,
          rc::gen::nonEmpty(rc::gen::container<std::vector<domain::RateFeedback>>(gen_rating())));
      const auto answers = write_batch(batch);
      RC_ASSERT(answers.size() == batch.size());
      for (std::size_t i = 0; i < batch.size(); ++i) {
        const Pair pair{batch[i].insight_id, batch[i].user_id};
        const bool existed = model.contains(pair);
        RC_ASSERT(answers[i].created == !existed);
        RC_ASSERT(answers[i].feedback.rating == batch[i].rating);
        RC_ASSERT(answers[i].feedback.insight_id == pair.first);
        RC_ASSERT(answers[i].feedback.user_id == pair.second);
        model[pair] = batch[i].rating;
      }
    }
    expect_exact_aggregate();
  }
  // The table holds what running the requests one after another would have left.
  const auto stored =
      database().exec("SELECT insight_id, user_id, coalesce(rating, 0) FROM insight_feedback");
  std::map<Pair, int> table;
  for (const auto& row : stored.rows)
    table[{row[0].value(), row[1].value()}] = std::stoi(row[2].value());
  RC_ASSERT(table == model);
}

}  // namespace
}  // namespace utxoiq::testing
