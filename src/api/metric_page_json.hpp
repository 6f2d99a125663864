#pragma once
// The body of GET /api/v1/monitoring/metrics, {"metrics": [...], "next_cursor": ...}, written
// straight into text. A page holds up to 10,000 points; building a JSON DOM of them first (seven
// members and a handful of allocations per point) cost about as much CPU as the query itself.
// The members and their order are those of domain::to_json(MetricRecord); numbers are the
// shortest text that reads back as the same double, always with a fraction or exponent (so a
// typed client reads a float, as for every other response).
#include <cstddef>
#include <string>

#include "api/capped_page.hpp"
#include "store/metric_store.hpp"

namespace utxoiq::api {

// A page's text is capped by the rule of every list page (capped_page.hpp): 10,000 points with
// 8 KiB of metadata each would be 80 MiB built on the event loop.
inline constexpr std::size_t kMaxMetricPageBytes = kMaxPageBytes;

std::string render_metric_page(const store::MetricPage& page);

// One point, as domain::to_json(record) would serialize it (apart from number spelling).
void append_metric_json(std::string& out, const domain::MetricRecord& record);

}  // namespace utxoiq::api
