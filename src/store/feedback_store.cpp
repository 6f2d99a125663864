#include "store/feedback_store.hpp"

#include "util/json_text.hpp"

namespace utxoiq::store {

Task<std::string> FeedbackStatsReader::stats_json(const std::string& insight_id) {
  const domain::FeedbackStats stats = co_await this->stats(insight_id);
  co_return to_json_text(domain::to_json(stats));
}

}  // namespace utxoiq::store
