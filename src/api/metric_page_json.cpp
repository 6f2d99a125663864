// Direct JSON rendering of metric pages (see metric_page_json.hpp).
#include "api/metric_page_json.hpp"

#include <algorithm>
#include <optional>

#include <cstring>

#include "domain/cursor.hpp"
#include "util/json_escape.hpp"
#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::api {

namespace {

void append_timestamp(std::string& out, Timestamp t) {
  char buffer[kRfc3339Size];
  write_rfc3339(t, buffer);
  out.push_back('"');
  out.append(buffer, sizeof buffer);
  out.push_back('"');
}

}  // namespace

void append_metric_json(std::string& out, const domain::MetricRecord& record) {
  const auto& m = record.metric;
  char id[Uuid::kStringSize];
  record.id.write(id);
  out.append(R"({"id":")");
  out.append(id, sizeof id);
  out.append(R"(","service_name":)");
  append_json_string(out, m.service_name);
  out.append(R"(,"metric_type":)");
  append_json_string(out, m.metric_type);
  out.append(R"(,"metric_value":)");
  append_json_double(out, m.metric_value);
  out.append(R"(,"unit":)");
  append_json_string(out, m.unit);
  out.append(R"(,"timestamp":)");
  append_timestamp(out, m.timestamp);
  out.append(R"(,"metadata":)");
  if (m.metadata) {
    append_json_text(out, *m.metadata);
  } else {
    out.append("null");
  }
  out.push_back('}');
}

std::string render_metric_page(const store::MetricPage& page) {
  std::string out;
  // About 200 bytes per point without metadata: one allocation instead of a dozen regrowths.
  out.reserve(std::min<std::size_t>(64 + page.metrics.size() * 224, kMaxMetricPageBytes));
  out.append(R"({"metrics":[)");
  std::optional<domain::KeysetCursor> next = page.next;
  for (std::size_t i = 0; i < page.metrics.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_metric_json(out, page.metrics[i]);
    if (out.size() >= kMaxMetricPageBytes && i + 1 < page.metrics.size()) {
      // The rest is the next page's: it starts after this point, as the store's cursor would.
      const auto& last = page.metrics[i];
      next = domain::KeysetCursor{domain::CursorKind::metrics, last.metric.timestamp, last.id};
      break;
    }
  }
  out.append(R"(],"next_cursor":)");
  if (next) {
    append_json_string(out, domain::encode_cursor(*next));
  } else {
    out.append("null");
  }
  out.push_back('}');
  return out;
}

}  // namespace utxoiq::api
