#pragma once
// INTERNAL to src/store: how a batch of ratings (in arrival order) becomes ONE upsert over arrays
// and how each request's answer is read back from its rows. The rule: the batch must answer every
// request exactly as if the requests had run one after another, in arrival order.
//  - ON CONFLICT DO UPDATE cannot touch one row twice in a statement, so the requests of one
//    (insight_id, user_id) collapse into one row carrying the LAST request's rating (the later
//    one wins, as when they run in turn).
//  - Every request is answered. The first request of a pair reports the row's created flag (it
//    would have created the record); later ones report 200 (the record existed by then). Each
//    answer carries its own request's rating, as its own statement would have returned.
//  - Rows are sent in (insight_id, user_id) order, so concurrent batches lock the records in the
//    same order.
#include <cstddef>
#include <string>
#include <vector>

#include "domain/feedback_requests.hpp"
#include "pg/params.hpp"
#include "pg/statement_tag.hpp"
#include "store/feedback_store.hpp"

namespace utxoiq::store::detail {

// The upsert of a batch: $1 ids, $2 insight ids, $3 user ids, $4 ratings (arrays of one length);
// feedback.rate, a write.
const pg::TaggedSql& rate_batch_statement();

class RateBatchPlan {
 public:
  // `requests` in arrival order; not empty.
  explicit RateBatchPlan(const std::vector<domain::RateFeedback>& requests);

  // The statement's parameters, one new id per distinct pair.
  pg::Params params() const;
  std::size_t distinct_rows() const { return rows_.size(); }

  // One answer per request, in arrival order, from the rows the statement returned (in any
  // order). Throws pg::DecodeError when a pair has no returned row.
  std::vector<FeedbackWrite> answers(const std::vector<FeedbackWrite>& written) const;

 private:
  struct Row {
    std::string insight_id;
    std::string user_id;
    int rating = 0;
  };
  struct Slot {
    std::size_t row = 0;  // index into rows_
    bool first = false;   // the first request of its pair in this batch
    int rating = 0;
  };
  std::vector<Row> rows_;    // distinct pairs, sorted
  std::vector<Slot> slots_;  // one per request
};

}  // namespace utxoiq::store::detail
