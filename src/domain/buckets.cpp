// UTC bucket alignment for metric aggregates.
#include "domain/buckets.hpp"

namespace utxoiq::domain {

std::string_view to_string(BucketInterval interval) {
  switch (interval) {
    case BucketInterval::hour:
      return "hour";
    case BucketInterval::day:
      return "day";
    case BucketInterval::week:
      return "week";
  }
  return "hour";
}

std::optional<BucketInterval> parse_bucket_interval(std::string_view text) {
  if (text == "hour") return BucketInterval::hour;
  if (text == "day") return BucketInterval::day;
  if (text == "week") return BucketInterval::week;
  return std::nullopt;
}

std::chrono::microseconds bucket_width(BucketInterval interval) {
  switch (interval) {
    case BucketInterval::hour:
      return std::chrono::hours{1};
    case BucketInterval::day:
      return std::chrono::days{1};
    case BucketInterval::week:
      return std::chrono::weeks{1};
  }
  return std::chrono::hours{1};
}

Timestamp bucket_start(Timestamp t, BucketInterval interval) {
  using namespace std::chrono;
  switch (interval) {
    case BucketInterval::hour:
      return floor<hours>(t);
    case BucketInterval::day:
      return floor<days>(t);
    case BucketInterval::week: {
      const sys_days day = floor<days>(t);
      // iso_encoding: Monday 1 .. Sunday 7.
      return day - days{weekday{day}.iso_encoding() - 1};
    }
  }
  return t;
}

}  // namespace utxoiq::domain
