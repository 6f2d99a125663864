// Direct JSON rendering of metric pages (see metric_page_json.hpp).
#include "api/metric_page_json.hpp"

#include <algorithm>
#include <optional>

#include <cstring>

#include "api/capped_page.hpp"
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
  // About 200 bytes per point without metadata: one allocation instead of a dozen regrowths.
  return render_capped_page(
      "metrics", page.metrics, page.next,
      [](std::string& out, const domain::MetricRecord& point) { append_metric_json(out, point); },
      [](const domain::MetricRecord& point) {
        return domain::KeysetCursor{domain::CursorKind::metrics, point.metric.timestamp, point.id};
      },
      kMaxMetricPageBytes, 224);
}

}  // namespace utxoiq::api
