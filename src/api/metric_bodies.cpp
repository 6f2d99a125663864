#include "api/metric_bodies.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/metric_page_json.hpp"
#include "store/metric_store.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {
namespace {

std::string aggregate_json(const domain::MetricAggregateQuery& query,
                           const std::vector<domain::MetricBucket>& buckets) {
  boost::json::array items;
  items.reserve(buckets.size());
  for (const auto& bucket : buckets) items.emplace_back(domain::to_json(bucket));
  return to_json_text(boost::json::object{{"service_name", query.service_name},
                                          {"metric_type", query.metric_type},
                                          {"interval", domain::to_string(query.interval)},
                                          {"buckets", std::move(items)}});
}

std::string series_json(const std::vector<domain::MetricSeries>& series) {
  boost::json::array items;
  items.reserve(series.size());
  for (const auto& s : series) items.emplace_back(domain::to_json(s));
  return to_json_text(boost::json::object{{"series", std::move(items)}});
}

}  // namespace

Task<std::string> RenderedMetricBodies::range(const domain::MetricRangeQuery& query) {
  const store::MetricPage page = co_await reader_.range(query);
  co_return render_metric_page(page);
}

Task<std::string> RenderedMetricBodies::aggregate(const domain::MetricAggregateQuery& query) {
  const std::vector<domain::MetricBucket> buckets = co_await reader_.aggregate(query);
  co_return aggregate_json(query, buckets);
}

Task<std::string> RenderedMetricBodies::series() {
  const std::vector<domain::MetricSeries> series = co_await reader_.series();
  co_return series_json(series);
}

}  // namespace utxoiq::api
