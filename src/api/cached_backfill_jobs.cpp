#include "api/cached_backfill_jobs.hpp"

#include <boost/json/parse.hpp>
#include <stdexcept>

#include "api/cached_read.hpp"
#include "cache/cache_keys.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {
namespace {

CacheMiss miss_of(store::BackfillJobReader* database, Uuid id) {
  return {.load = [database, id]() -> Task<std::optional<std::string>> {
            const auto job = co_await database->get(id);
            if (!job) co_return std::nullopt;
            co_return to_json_text(domain::to_json(*job, job->updated_at));
          },
          .tags = {}};  // a job's entry is dropped by its key alone
}

domain::BackfillJob decode(const std::string& text) {
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(text, error);
  std::optional<domain::BackfillJob> job;
  if (!error && value.is_object()) job = domain::backfill_job_from_json(value.get_object());
  if (!job) throw std::runtime_error("backfill job cache entry is malformed");
  return std::move(*job);
}

}  // namespace

Task<std::optional<domain::BackfillJob>> CachedBackfillJobs::get(const Uuid& id) {
  const auto text =
      co_await read_through(caches_.backfill_job(), cache::backfill_job_key(id.to_string()),
                            [this, id] { return miss_of(&database_, id); });
  if (!text) co_return std::nullopt;
  co_return decode(*text);
}

store::BackfillWriteListener CachedBackfillJobs::invalidator() {
  return [this](std::vector<domain::BackfillJob> jobs) -> Task<void> {
    std::vector<std::string> keys;
    keys.reserve(jobs.size());
    for (const auto& job : jobs) keys.push_back(cache::backfill_job_key(job.id.to_string()));
    co_await caches_.invalidate(std::move(keys));
  };
}

}  // namespace utxoiq::api
