// Cache key and tag builders; see cache_keys.hpp for the patterns and the escaping.
#include "cache/cache_keys.hpp"

namespace utxoiq::cache {

std::string escape_key_part(std::string_view part) {
  std::string out;
  out.reserve(part.size());
  for (const char c : part) {
    if (c == '%') {
      out += "%25";
    } else if (c == ':') {
      out += "%3A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string feedback_stats_key(std::string_view insight_id) {
  return "feedback:stats:" + escape_key_part(insight_id);
}

std::string backfill_job_key(std::string_view job_id) {
  return "backfill:job:" + escape_key_part(job_id);
}

std::string recent_metrics_key(std::string_view service_name, std::string_view metric_type) {
  return "metrics:" + escape_key_part(service_name) + ":" + escape_key_part(metric_type) +
         ":recent";
}

std::string aggregated_metrics_key(std::string_view service_name, std::string_view metric_type,
                                   std::string_view interval, std::string_view start,
                                   std::string_view end) {
  return "metrics:" + escape_key_part(service_name) + ":" + escape_key_part(metric_type) +
         ":agg:" + escape_key_part(interval) + ":" + escape_key_part(start) + ":" +
         escape_key_part(end);
}

std::string series_tag(std::string_view service_name, std::string_view metric_type) {
  return "series:" + escape_key_part(service_name) + ":" + escape_key_part(metric_type);
}

std::string insight_tag(std::string_view insight_id) {
  return "insight:" + escape_key_part(insight_id);
}

}  // namespace utxoiq::cache
