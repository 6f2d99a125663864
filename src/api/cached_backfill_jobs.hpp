#pragma once
// Backfill jobs by id through the cache (backfill:job:{job_id}, 5 min, cache_keys.hpp): a
// BackfillJobReader in front of the repository's, so the handlers do not change. The cached value
// is the stored job; `stale` depends on the time of the read, so it is computed when the job is
// rendered, never cached. `invalidator()` is the repository's write listener that drops a job's
// entry after each change to it. Unknown ids are not cached (a job started later must be found at
// once).
#include "cache/cache_set.hpp"
#include "store/backfill_store.hpp"

namespace utxoiq::api {

class CachedBackfillJobs final : public store::BackfillJobReader {
 public:
  // Both must outlive this object (and any background refresh it starts).
  CachedBackfillJobs(store::BackfillJobReader& database, cache::CacheSet& caches)
      : database_(database), caches_(caches) {}

  Task<std::optional<domain::BackfillJob>> get(const Uuid& id) override;

  store::BackfillWriteListener invalidator();

 private:
  store::BackfillJobReader& database_;
  cache::CacheSet& caches_;
};

}  // namespace utxoiq::api
