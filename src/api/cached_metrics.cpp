#include "api/cached_metrics.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <stdexcept>

#include "api/cached_read.hpp"
#include "api/capped_page.hpp"
#include "api/metric_page_json.hpp"
#include "cache/cache_keys.hpp"
#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::api {
namespace {

// A series is at most a few hundred bytes (names of 100 and 50 characters, a unit of 20), so a
// page of 500 stays far under the cap; it goes through the one page rule all the same.
std::string render_series_page(const store::MetricSeriesPage& page) {
  return render_capped_page(
      "series", page.series, page.next,
      [](std::string& out, const domain::MetricSeries& s) {
        append_object(out, domain::to_json(s));
      },
      [](const domain::MetricSeries& s) {
        return domain::SeriesCursor{s.service_name, s.metric_type};
      },
      kMaxPageBytes, 128);
}

Task<std::string> load_range(store::MetricReader& database, const domain::MetricRangeQuery& query) {
  co_return render_metric_page(co_await database.range(query));
}

Task<std::string> load_aggregate(store::MetricReader& database,
                                 const domain::MetricAggregateQuery& query) {
  const std::vector<domain::MetricBucket> buckets = co_await database.aggregate(query);
  boost::json::array items;
  items.reserve(buckets.size());
  for (const auto& bucket : buckets) items.emplace_back(domain::to_json(bucket));
  co_return to_json_text(boost::json::object{{"service_name", query.service_name},
                                             {"metric_type", query.metric_type},
                                             {"interval", domain::to_string(query.interval)},
                                             {"buckets", std::move(items)}});
}

// A miss of one series' entry: the loader owns a copy of the query (it may run again later as a
// background refresh); every entry of the series carries its tag.
template <typename Query>
CacheMiss series_miss(store::MetricReader* database, const Query& query,
                      const std::string& metric_type,
                      Task<std::string> (*load)(store::MetricReader&, const Query&)) {
  return {.load = [database, query, load]() -> Task<std::optional<std::string>> {
            co_return co_await load(*database, query);
          },
          .tags = {cache::series_tag(query.service_name, metric_type)}};
}

std::vector<std::string> tags_of(const std::vector<store::SeriesWrite>& writes) {
  std::vector<std::string> tags;
  tags.reserve(writes.size());
  for (const auto& write : writes) {
    tags.push_back(cache::series_tag(write.service_name, write.metric_type));
  }
  return tags;
}

std::string body_of(std::optional<std::string> text) {
  // The loaders never answer "not found": an empty range is a body too.
  if (!text) throw std::logic_error("metric cache load returned no body");
  return std::move(*text);
}

}  // namespace

Task<std::string> CachedMetrics::range_json(const domain::MetricRangeQuery& query) {
  if (!query.recent) co_return co_await load_range(database_, query);
  const std::string& type = *query.metric_type;
  co_return body_of(co_await read_through(
      caches_.recent_metrics(), cache::recent_metrics_key(query.service_name, type),
      [this, &query, &type] { return series_miss(&database_, query, type, load_range); }));
}

Task<std::string> CachedMetrics::aggregate_json(const domain::MetricAggregateQuery& query) {
  if (!query.fixed_range) co_return co_await load_aggregate(database_, query);
  std::string key = cache::aggregated_metrics_key(
      query.service_name, query.metric_type, domain::to_string(query.interval),
      format_rfc3339(query.start), format_rfc3339(query.end));
  co_return body_of(
      co_await read_through(caches_.aggregated_metrics(), std::move(key), [this, &query] {
        return series_miss(&database_, query, query.metric_type, load_aggregate);
      }));
}

Task<std::string> CachedMetrics::series_json(const domain::MetricSeriesQuery& query) {
  co_return render_series_page(co_await database_.series(query));
}

store::MetricWriteListener CachedMetrics::invalidator() {
  return [this](std::vector<store::SeriesWrite> writes) -> Task<void> {
    std::vector<std::string> no_keys;
    co_await caches_.invalidate(std::move(no_keys), tags_of(writes));
  };
}

}  // namespace utxoiq::api
