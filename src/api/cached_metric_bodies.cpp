#include "api/cached_metric_bodies.hpp"

#include <stdexcept>

#include "cache/cache_keys.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::api {
namespace {

// Loaders own copies of what they need: they may run again later as a background refresh.
cache::TwoLevelCache::Loader range_loader(MetricBodies* database, domain::MetricRangeQuery query) {
  return [database, query = std::move(query)]() -> Task<std::optional<std::string>> {
    std::string body = co_await database->range(query);
    co_return std::optional<std::string>(std::move(body));
  };
}

cache::TwoLevelCache::Loader aggregate_loader(MetricBodies* database,
                                              domain::MetricAggregateQuery query) {
  return [database, query = std::move(query)]() -> Task<std::optional<std::string>> {
    std::string body = co_await database->aggregate(query);
    co_return std::optional<std::string>(std::move(body));
  };
}

std::vector<std::string> series_tags(const std::string& service, const std::string& type) {
  return {cache::series_tag(service, type)};
}

std::vector<std::string> tags_of(const std::vector<store::SeriesWrite>& writes) {
  std::vector<std::string> tags;
  tags.reserve(writes.size());
  for (const auto& write : writes) {
    tags.push_back(cache::series_tag(write.service_name, write.metric_type));
  }
  return tags;
}

std::string text_of(const std::optional<cache::CachedValue>& cached) {
  // The loaders never answer "nothing": an empty range is a body too.
  if (!cached) throw std::logic_error("metric cache load returned no body");
  return **cached;
}

}  // namespace

Task<std::string> CachedMetricBodies::range(const domain::MetricRangeQuery& query) {
  if (!query.recent) co_return co_await database_.range(query);
  const std::string& type = *query.metric_type;
  const auto cached = co_await caches_.recent_metrics().get_or_load(
      cache::recent_metrics_key(query.service_name, type), range_loader(&database_, query),
      series_tags(query.service_name, type));
  co_return text_of(cached);
}

Task<std::string> CachedMetricBodies::aggregate(const domain::MetricAggregateQuery& query) {
  if (!query.fixed_range) co_return co_await database_.aggregate(query);
  const std::string key = cache::aggregated_metrics_key(
      query.service_name, query.metric_type, domain::to_string(query.interval),
      format_rfc3339(query.start), format_rfc3339(query.end));
  const auto cached = co_await caches_.aggregated_metrics().get_or_load(
      key, aggregate_loader(&database_, query), series_tags(query.service_name, query.metric_type));
  co_return text_of(cached);
}

Task<std::string> CachedMetricBodies::series() {
  co_return co_await database_.series();
}

store::MetricWriteListener CachedMetricBodies::invalidator() {
  return [this](std::vector<store::SeriesWrite> writes) -> Task<void> {
    std::vector<std::string> no_keys;
    co_await caches_.invalidate(std::move(no_keys), tags_of(writes));
  };
}

}  // namespace utxoiq::api
