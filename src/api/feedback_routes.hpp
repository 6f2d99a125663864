#pragma once
// The feedback endpoints (api.md, "Feedback"): rate, comment and flag (each an atomic upsert of
// the (insight_id, user_id) record), statistics one by one and in batches, the lists, and the
// erasure of a user's feedback. Handlers validate with the domain, then read the statistics of
// one insight through the cache (cached_feedback_stats.hpp) and everything else through the store
// interfaces.
#include "api/api_docs.hpp"
#include "store/feedback_store.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

class CachedFeedbackStats;

struct FeedbackRoutesDeps {
  CachedFeedbackStats& reads;         // GET /stats
  store::FeedbackStatsReader& stats;  // POST /stats/batch
  store::FeedbackLister& lister;
  store::FeedbackWriter& writer;
};

// The reader and the stores must outlive the router.
void add_feedback_routes(http::Router& router, FeedbackRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
