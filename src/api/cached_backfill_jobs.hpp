#pragma once
// Backfill jobs by id through the cache (backfill:job:{job_id}, 5 min, cache_keys.hpp;
// cached_read.hpp). `invalidator()` is the repository's write listener that drops a job's entry
// after each change to it. Unknown ids are not cached (a job started later must be found at once).
//
// Unlike the other cached reads, `get` decodes the entry and the handler renders the job: the
// answer's `stale` depends on the time of the read (and on --backfill-stall-minutes), so the text
// of one read cannot be sent to the next. The entry is the stored job, rendered as of its own
// updated_at.
#include <optional>

#include "cache/cache_set.hpp"
#include "store/backfill_store.hpp"

namespace utxoiq::api {

class CachedBackfillJobs {
 public:
  // Both must outlive this object (and any background refresh it starts).
  CachedBackfillJobs(store::BackfillJobReader& database, cache::CacheSet& caches)
      : database_(database), caches_(caches) {}

  // The job, or nullopt when there is none with this id. Throws std::runtime_error when the entry
  // does not decode (not written by this code, or Redis was tampered with): a 500, never a
  // made-up job.
  Task<std::optional<domain::BackfillJob>> get(const Uuid& id);

  store::BackfillWriteListener invalidator();

 private:
  store::BackfillJobReader& database_;
  cache::CacheSet& caches_;
};

}  // namespace utxoiq::api
