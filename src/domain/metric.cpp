// Metric validation and JSON form.
#include "domain/metric.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serializer.hpp>
#include <cstring>

#include "domain/json_fields.hpp"
#include "domain/json_out.hpp"

namespace utxoiq::domain {

namespace {

bool has_nul(const boost::json::string& s) {
  return !s.empty() && std::memchr(s.data(), 0, s.size()) != nullptr;
}

bool contains_nul(const boost::json::value& v);

bool contains_nul(const boost::json::object& o) {
  for (const auto& member : o) {
    const auto key = member.key();
    if (!key.empty() && std::memchr(key.data(), 0, key.size()) != nullptr) return true;
    if (contains_nul(member.value())) return true;
  }
  return false;
}

// Recursion depth is bounded by the parser's depth limit (Boost.JSON: 32 by default).
bool contains_nul(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return has_nul(v.get_string());
    case boost::json::kind::object:
      return contains_nul(v.get_object());
    case boost::json::kind::array:
      for (const auto& element : v.get_array()) {
        if (contains_nul(element)) return true;
      }
      return false;
    default:
      return false;
  }
}

std::optional<Metric> read_metric(JsonFields& fields, Timestamp now) {
  Metric m;
  auto service = fields.text("service_name", Presence::required, kServiceNameRule);
  auto type = fields.text("metric_type", Presence::required, kMetricTypeRule);
  const auto value = fields.number("metric_value", Presence::required);
  auto unit = fields.text("unit", Presence::required, kUnitRule);
  const auto timestamp = fields.timestamp("timestamp", Presence::optional);
  bool ok = service && type && value && unit;
  if (timestamp) {
    if (*timestamp > now + kMaxMetricFuture) {
      fields.fail("timestamp", "must not be more than 5 minutes in the future");
      ok = false;
    } else if (*timestamp < now - kMaxMetricAge) {
      fields.fail("timestamp", "must not be older than 365 days");
      ok = false;
    }
  } else if (fields.find("timestamp") != nullptr) {
    ok = false;  // present but invalid: already reported
  }
  if (const boost::json::value* metadata = fields.find("metadata")) {
    if (!metadata->is_object()) {
      fields.fail("metadata", "must be a JSON object");
      ok = false;
    } else if (serialized_size_up_to(metadata->get_object(), kMaxMetadataBytes) >
               kMaxMetadataBytes) {
      fields.fail("metadata", "must be at most 8192 bytes when serialized");
      ok = false;
    } else if (contains_nul(metadata->get_object())) {
      fields.fail("metadata", "must not contain NUL characters");
      ok = false;
    } else {
      m.metadata = metadata->get_object();
    }
  }
  if (!ok) return std::nullopt;
  m.service_name = std::move(*service);
  m.metric_type = std::move(*type);
  m.metric_value = *value;
  m.unit = std::move(*unit);
  m.timestamp = timestamp.value_or(now);
  return m;
}

void add_metric_members(boost::json::object& o, const Metric& m) {
  o.emplace("service_name", m.service_name);
  o.emplace("metric_type", m.metric_type);
  o.emplace("metric_value", m.metric_value);
  o.emplace("unit", m.unit);
  o.emplace("timestamp", json_timestamp(m.timestamp));
  if (m.metadata) {
    o.emplace("metadata", *m.metadata);
  } else {
    o.emplace("metadata", nullptr);
  }
}

}  // namespace

std::size_t serialized_size_up_to(const boost::json::object& object, std::size_t limit) {
  boost::json::serializer serializer;
  serializer.reset(&object);
  char buffer[1024];
  std::size_t total = 0;
  while (!serializer.done() && total <= limit) {
    total += serializer.read(buffer, sizeof buffer).size();
  }
  return total;
}

Validated<Metric> parse_metric(const boost::json::object& body, Timestamp now) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  auto metric = read_metric(fields, now);
  if (!errors.empty()) return errors;
  return std::move(*metric);
}

Validated<std::vector<Metric>> parse_metric_batch(const boost::json::object& body, Timestamp now) {
  const boost::json::value* v = body.if_contains("metrics");
  if (v == nullptr || v->is_null()) return FieldErrors{{"metrics", "is required"}};
  if (!v->is_array()) return FieldErrors{{"metrics", "must be an array"}};
  const boost::json::array& items = v->get_array();
  if (items.empty() || items.size() > kMaxMetricBatch) {
    return FieldErrors{{"metrics", "must have 1 to 10000 elements"}};
  }
  FieldErrors errors;
  std::vector<Metric> metrics;
  metrics.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string prefix = "metrics[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      errors.push_back({std::move(prefix), "must be an object"});
      continue;
    }
    prefix.push_back('.');
    JsonFields fields(items[i].get_object(), errors, std::move(prefix));
    if (auto metric = read_metric(fields, now); metric && errors.empty()) {
      metrics.push_back(std::move(*metric));
    }
  }
  if (!errors.empty()) return errors;
  return metrics;
}

boost::json::object to_json(const Metric& metric) {
  boost::json::object o;
  o.reserve(6);
  add_metric_members(o, metric);
  return o;
}

boost::json::object to_json(const MetricRecord& record) {
  boost::json::object o;
  o.reserve(7);
  o.emplace("id", json_uuid(record.id));
  add_metric_members(o, record.metric);
  return o;
}

}  // namespace utxoiq::domain
