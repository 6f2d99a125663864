#include "api/cached_backfill_jobs.hpp"

#include "api/cached_entry.hpp"
#include "cache/cache_keys.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {
namespace {

std::optional<std::string> encode(const std::optional<domain::BackfillJob>& job) {
  if (!job) return std::nullopt;  // unknown ids are not cached
  return to_json_text(domain::to_json(*job, job->updated_at));
}

cache::TwoLevelCache::Loader loader_for(store::BackfillJobReader* database, Uuid id) {
  return [database, id]() -> Task<std::optional<std::string>> {
    const auto job = co_await database->get(id);
    co_return encode(job);
  };
}

std::vector<std::string> key_of(const Uuid& id) {
  return {cache::backfill_job_key(id.to_string())};
}

}  // namespace

Task<std::optional<domain::BackfillJob>> CachedBackfillJobs::get(const Uuid& id) {
  const auto cached = co_await caches_.backfill_job().get_or_load(
      cache::backfill_job_key(id.to_string()), loader_for(&database_, id));
  if (!cached) co_return std::nullopt;
  co_return decode_cached(**cached, domain::backfill_job_from_json, "backfill job");
}

store::BackfillWriteListener CachedBackfillJobs::invalidator() {
  return [this](domain::BackfillJob job) -> Task<void> {
    co_await caches_.invalidate(key_of(job.id));
  };
}

}  // namespace utxoiq::api
