// COPY text lines of metric records (store/metric_copy_text.hpp): column order, numbers that read
// back exactly, UTC timestamps, \N for no metadata, and escaping of what COPY treats specially.
#include "store/internal/metric_copy_text.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdlib>

#include "util/rfc3339.hpp"

namespace utxoiq::store {
namespace {

domain::MetricRecord record(double value, std::string unit,
                            std::optional<boost::json::object> metadata = std::nullopt) {
  domain::MetricRecord r;
  r.id = *Uuid::parse("018f3c1e-7a2b-7c3d-8e4f-0123456789ab");
  r.metric = {"api-gw",
              "latency.p99",
              value,
              std::move(unit),
              *parse_rfc3339("2026-11-22T01:02:03.456789+01:00"),
              std::move(metadata)};
  return r;
}

TEST(MetricCopyText, OneTabSeparatedLinePerRecordInColumnOrder) {
  std::string out;
  const std::vector records{record(12.5, "ms"), record(0.1, "%")};
  append_copy_text(records, out);
  EXPECT_EQ(out,
            "018f3c1e-7a2b-7c3d-8e4f-0123456789ab\tapi-gw\tlatency.p99\t12.5\tms\t"
            "2026-11-22T00:02:03.456789Z\t\\N\n"
            "018f3c1e-7a2b-7c3d-8e4f-0123456789ab\tapi-gw\tlatency.p99\t0.1\t%\t"
            "2026-11-22T00:02:03.456789Z\t\\N\n");
  EXPECT_EQ(kMetricCopyColumns,
            R"((id, service_name, metric_type, metric_value, unit, "timestamp", metadata))");
}

TEST(MetricCopyText, NumbersAreTheShortestTextThatReadsBackExactly) {
  for (const double value : {1e300, -0.0, 5e-324, 123456789.123456789, -3.0}) {
    std::string out;
    append_copy_text(std::vector{record(value, "u")}, out);
    const auto fields_start = out.find("latency.p99\t") + 12;
    const auto text = out.substr(fields_start, out.find('\t', fields_start) - fields_start);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), value) << text;
  }
}

TEST(MetricCopyText, BackslashTabNewlineAndCarriageReturnAreEscaped) {
  std::string out;
  append_copy_escaped("a\\b\tc\nd\re", out);
  EXPECT_EQ(out, "a\\\\b\\tc\\nd\\re");
  out.clear();
  append_copy_escaped("plain text", out);
  EXPECT_EQ(out, "plain text");

  // Metadata is JSON text, whose own escapes (\" and \n inside strings) must survive COPY.
  std::string line;
  append_copy_text(std::vector{record(1, "tab\tunit",
                                      boost::json::parse(R"({"q":"say \"hi\"\n"})").as_object())},
                   line);
  EXPECT_NE(line.find("\ttab\\tunit\t"), std::string::npos) << line;
  EXPECT_NE(line.find(R"({"q":"say \\"hi\\"\\n"})"), std::string::npos) << line;
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
  EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 6);
}

}  // namespace
}  // namespace utxoiq::store
