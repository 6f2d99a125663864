// See internal/rate_batch.hpp.
#include "store/internal/rate_batch.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <utility>

#include "pg/errors.hpp"
#include "store/internal/feedback_rows.hpp"
#include "store/internal/sql_values.hpp"
#include "util/uuid.hpp"

namespace utxoiq::store::detail {

namespace {

const std::string kRateBatchSql =
    "INSERT INTO insight_feedback (id, insight_id, user_id, rating) "
    "SELECT r.id, r.insight_id, r.user_id, r.rating "
    "FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::smallint[]) "
    "AS r (id, insight_id, user_id, rating) "
    "ON CONFLICT (insight_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, "
    "updated_at = now() RETURNING " +
    std::string(kFeedbackColumns) + ", (xmax = 0) AS created";

using Pair = std::pair<std::string_view, std::string_view>;

}  // namespace

const pg::TaggedSql& rate_batch_statement() {
  static const pg::TaggedSql statement{{"feedback", "rate", pg::StatementAccess::write},
                                       kRateBatchSql};
  return statement;
}

RateBatchPlan::RateBatchPlan(const std::vector<domain::RateFeedback>& requests) {
  assert(!requests.empty());
  // Pair -> the request that wins it (the last one).
  std::map<Pair, std::size_t> last;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    last[{requests[i].insight_id, requests[i].user_id}] = i;
  }
  std::map<Pair, std::size_t> row_of;  // the map is ordered, so rows_ come out sorted
  for (const auto& [pair, winner] : last) {
    row_of.emplace(pair, rows_.size());
    rows_.push_back({std::string(pair.first), std::string(pair.second), requests[winner].rating});
  }
  std::vector<bool> seen(rows_.size(), false);
  slots_.reserve(requests.size());
  for (const auto& request : requests) {
    const std::size_t row = row_of.at({request.insight_id, request.user_id});
    slots_.push_back({row, !seen[row], request.rating});
    seen[row] = true;
  }
}

pg::Params RateBatchPlan::params() const {
  std::vector<std::string> ids, insights, users;
  std::vector<int> ratings;
  for (const Row& row : rows_) {
    ids.push_back(new_uuid_v7().to_string());
    insights.push_back(row.insight_id);
    users.push_back(row.user_id);
    ratings.push_back(row.rating);
  }
  return pg::params(ids, insights, users, ratings);
}

std::vector<FeedbackWrite> RateBatchPlan::answers(const std::vector<FeedbackWrite>& written) const {
  std::map<Pair, const FeedbackWrite*> by_pair;
  for (const FeedbackWrite& w : written) {
    by_pair.emplace(Pair{w.feedback.insight_id, w.feedback.user_id}, &w);
  }
  std::vector<FeedbackWrite> out;
  out.reserve(slots_.size());
  for (const Slot& slot : slots_) {
    const Row& row = rows_[slot.row];
    const auto found = by_pair.find({row.insight_id, row.user_id});
    if (found == by_pair.end())
      throw pg::DecodeError("the rating batch returned no row for a pair");
    FeedbackWrite answer = *found->second;
    // As if this request had run on its own: its own rating, and only the first of the pair can
    // have created the record.
    answer.feedback.rating = slot.rating;
    answer.created = answer.created && slot.first;
    out.push_back(std::move(answer));
  }
  return out;
}

}  // namespace utxoiq::store::detail
