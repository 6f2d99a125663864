// Fuzz target: a request target ("/path?query") as the server reads it, then every query parser
// of the API on its parameters. Bad input may only become a Problem or field errors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/backfill_requests.hpp"
#include "domain/feedback_queries.hpp"
#include "domain/metric_queries.hpp"
#include "http/problem.hpp"
#include "http/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace domain = utxoiq::domain;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  utxoiq::http::Request request;
  try {
    utxoiq::http::set_target(request, text);
  } catch (const utxoiq::http::Problem&) {
    return 0;
  }
  const domain::QueryParams params(request.query_params);
  const auto now = utxoiq::Timestamp{} + std::chrono::hours(24 * 365 * 56);
  (void)domain::parse_backfill_list_query(params);
  (void)domain::parse_feedback_filter(params);
  (void)domain::parse_comments_query(params);
  (void)domain::parse_user_feedback_query(params);
  (void)domain::parse_stats_query(params);
  (void)domain::parse_metric_range_query(params, now);
  (void)domain::parse_metric_aggregate_query(params, now);
  return 0;
}
