// Fuzz target: every route's body parser behind the bounded JSON body reader. The first byte
// picks the parser, the rest is the body. Bad input may only become a Problem or field errors.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/backfill_requests.hpp"
#include "domain/feedback_requests.hpp"
#include "domain/metric.hpp"
#include "http/json_body.hpp"
#include "http/problem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace domain = utxoiq::domain;
  if (size == 0) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  boost::json::object object;
  try {
    object = utxoiq::http::parse_json_object(
        utxoiq::http::make_request(utxoiq::http::Method::post, "/", body));
  } catch (const utxoiq::http::Problem&) {
    return 0;
  }
  const auto now = utxoiq::Timestamp{} + std::chrono::hours(24 * 365 * 56);
  switch (data[0] % 9) {
    case 0:
      (void)domain::parse_rate_feedback(object);
      break;
    case 1:
      (void)domain::parse_comment_feedback(object);
      break;
    case 2:
      (void)domain::parse_flag_feedback(object);
      break;
    case 3:
      (void)domain::parse_stats_batch(object);
      break;
    case 4:
      (void)domain::parse_start_job(object);
      break;
    case 5:
      (void)domain::parse_progress_update(object);
      break;
    case 6:
      (void)domain::parse_fail_job(object);
      break;
    case 7:
      (void)domain::parse_metric(object, now);
      break;
    default:
      (void)domain::parse_metric_batch(object, now);
      break;
  }
  return 0;
}
