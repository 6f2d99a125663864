#pragma once
// The names of the cache: the four named caches with their TTLs, and their keys and tags, the
// key patterns every instance (and any other client of the same Redis) shares:
//
//   feedback_stats      feedback:stats:{insight_id}                                  1 h
//   backfill_job        backfill:job:{job_id}                                        5 min
//   recent_metrics      metrics:{service}:{metric_type}:recent                       5 min
//   aggregated_metrics  metrics:{service}:{metric_type}:agg:{interval}:{start}:{end}  1 h
//
// (aggregated_metrics is not in the seed; its key follows the same shape.) Every variable part is
// escaped (':' as %3A, '%' as %25): service names and metric types may contain ':', and without the
// escape service "a:b" + type "c" and service "a" + type "b:c" would share one key. Ids without
// ':' or '%' (all UUIDs, ordinary names) read exactly as the seed's patterns.
//
// Tags group keys for invalidation by tag: a metrics write for a series drops that series'
// recent and aggregated entries (series_tag), an erasure of a user's feedback drops the stats of
// every insight concerned (insight_tag on each, or their keys).
#include <chrono>
#include <string>
#include <string_view>

namespace utxoiq::cache {

namespace names {
inline constexpr std::string_view kFeedbackStats = "feedback_stats";
inline constexpr std::string_view kBackfillJob = "backfill_job";
inline constexpr std::string_view kRecentMetrics = "recent_metrics";
inline constexpr std::string_view kAggregatedMetrics = "aggregated_metrics";
}  // namespace names

namespace ttls {
inline constexpr std::chrono::seconds kFeedbackStats{3600};      // requirement 4.4: 1 h
inline constexpr std::chrono::seconds kBackfillJob{300};         // 5 min: a job changes often
inline constexpr std::chrono::seconds kRecentMetrics{300};       // requirement 4.4: 5 min
inline constexpr std::chrono::seconds kAggregatedMetrics{3600};  // hourly+ buckets: 1 h
}  // namespace ttls

// ':' and '%' escaped (see above); everything else as it is.
std::string escape_key_part(std::string_view part);

std::string feedback_stats_key(std::string_view insight_id);
std::string backfill_job_key(std::string_view job_id);
std::string recent_metrics_key(std::string_view service_name, std::string_view metric_type);
// interval: hour|day|week; start/end: the range as the handler normalised it (RFC 3339 text).
std::string aggregated_metrics_key(std::string_view service_name, std::string_view metric_type,
                                   std::string_view interval, std::string_view start,
                                   std::string_view end);

// Everything cached about one metric series (recent and aggregated).
std::string series_tag(std::string_view service_name, std::string_view metric_type);
// Everything cached about one insight.
std::string insight_tag(std::string_view insight_id);

}  // namespace utxoiq::cache
