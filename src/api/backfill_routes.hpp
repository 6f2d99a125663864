#pragma once
// The backfill job endpoints (api.md, "Backfill jobs"): start, progress, complete, fail, pause,
// resume, the status list and one job. Handlers validate with the domain, then read one job
// through the cache (cached_backfill_jobs.hpp) and list and write through the store interfaces.
#include <chrono>

#include "api/api_docs.hpp"
#include "store/backfill_store.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

class CachedBackfillJobs;

struct BackfillRoutesDeps {
  CachedBackfillJobs& reads;  // GET /{job_id}
  store::BackfillJobLister& lister;
  store::BackfillJobWriter& writer;
  // A running job without a change for longer is shown `stale` (--backfill-stall-minutes).
  std::chrono::microseconds stall_after;
};

// The reader and the stores must outlive the router.
void add_backfill_routes(http::Router& router, BackfillRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
