// See feedback_recount.hpp.
#include "support/feedback_recount.hpp"

namespace utxoiq::testing {

const char* const kFeedbackStatsFromRows =
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
const char* const kFeedbackStatsFromAggregate =
    "SELECT coalesce(string_agg(line, ';' ORDER BY line), '') FROM ("
    " SELECT insight_id || ':' || concat_ws(',', total_ratings, rating_sum, rating_1, rating_2,"
    "  rating_3, rating_4, rating_5, total_comments, total_flags, flag_inaccurate,"
    "  flag_misleading, flag_spam, flag_other) AS line FROM insight_feedback_stats"
    "  WHERE total_ratings + total_comments + total_flags > 0) AS t";

}  // namespace utxoiq::testing
