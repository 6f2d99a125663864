#pragma once
// The feedback endpoints (api.md, "Feedback"): rate, comment and flag (each an atomic upsert of
// the (insight_id, user_id) record), statistics one by one and in batches, the lists, and the
// erasure of a user's feedback. Handlers validate with the domain, then go through the store
// interfaces only, so a cached reader can stand in for any of them.
#include "api/api_docs.hpp"
#include "store/feedback_store.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

struct FeedbackRoutesDeps {
  store::FeedbackStatsReader& stats;
  store::FeedbackLister& lister;
  store::FeedbackWriter& writer;
};

// The stores must outlive the router.
void add_feedback_routes(http::Router& router, FeedbackRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
