// Validation of the backfill requests: each table row is an invalid body and the exact list of
// fields the 422 must name (all at once), plus the boundary values that must be accepted.
#include "domain/backfill_requests.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "domain/cursor.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

boost::json::object body(std::string_view json) {
  return boost::json::parse(json).as_object();
}

std::vector<std::string> fields_of(const FieldErrors& errors) {
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    EXPECT_FALSE(e.message.empty()) << e.field;
    fields.push_back(e.field);
  }
  return fields;
}

std::string repeat(std::string_view piece, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

struct BadBody {
  std::string json;
  std::vector<std::string> fields;
};

TEST(StartJob, AcceptsAMinimalJob) {
  const auto r = parse_start_job(body(R"({"job_type":"blocks","start_block":0,"end_block":100})"));
  ASSERT_TRUE(r.ok()) << r.errors().front().field;
  EXPECT_EQ(r->job_type, "blocks");
  EXPECT_EQ(r->start_block, 0);
  EXPECT_EQ(r->end_block, 100);
  EXPECT_FALSE(r->created_by.has_value());
}

TEST(StartJob, AcceptsBoundaryValues) {
  // start == end, 64-bit blocks, job_type of exactly 50, created_by of exactly 100 code points
  // in 2-byte characters (200 bytes), and integral numbers written as 2.0, and unknown members.
  const std::string json = R"({"job_type":")" + std::string(50, 'a') +
                           R"(","start_block":9007199254740993,"end_block":9223372036854775807,)" +
                           R"("created_by":")" + repeat("\u00e9", 100) + R"(","extra":true})";
  const auto r = parse_start_job(body(json));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end_block, 9223372036854775807);
  EXPECT_EQ(r->start_block, 9007199254740993);
  EXPECT_EQ(r->created_by->size(), 200u);

  const auto equal = parse_start_job(
      body(R"({"job_type":"a_1","start_block":7,"end_block":7.0,"created_by":null})"));
  ASSERT_TRUE(equal.ok());
  EXPECT_EQ(equal->start_block, 7);
  EXPECT_EQ(equal->end_block, 7);
  EXPECT_FALSE(equal->created_by.has_value());
}

TEST(StartJob, ReportsEveryInvalidField) {
  const std::vector<BadBody> cases = {
      {R"({})", {"job_type", "start_block", "end_block"}},
      {R"({"job_type":null,"start_block":null,"end_block":null})",
       {"job_type", "start_block", "end_block"}},
      {R"({"job_type":"Blocks","start_block":2.5,"end_block":"12","created_by":5})",
       {"job_type", "start_block", "end_block", "created_by"}},
      {R"({"job_type":"","start_block":true,"end_block":false})",
       {"job_type", "start_block", "end_block"}},
      {R"({"job_type":")" + std::string(51, 'a') + R"(","start_block":-1,"end_block":1})",
       {"job_type", "start_block"}},
      {R"({"job_type":"a-b","start_block":0,"end_block":9223372036854775808})",
       {"job_type", "end_block"}},
      {R"({"job_type":"ok","start_block":10,"end_block":9})", {"start_block"}},
      {R"({"job_type":"ok","start_block":1e300,"end_block":[1]})", {"start_block", "end_block"}},
      {R"({"job_type":["x"],"start_block":{},"end_block":1,"created_by":")" +
           repeat("\u00e9", 101) + R"("})",
       {"job_type", "start_block", "created_by"}},
      {R"({"job_type":"ok","start_block":0,"end_block":1,"created_by":"a\u0000b"})",
       {"created_by"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_start_job(body(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(fields_of(r.errors()), c.fields) << c.json;
  }
}

TEST(ProgressUpdate, AcceptsRequiredOnlyAndAllOptionals) {
  const auto minimal = parse_progress_update(
      body(R"({"job_id":"0192F0C4-5B7A-7CDE-8F01-23456789ABCD","current_block":5})"));
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(minimal->job_id.to_string(), "0192f0c4-5b7a-7cde-8f01-23456789abcd");
  EXPECT_EQ(minimal->current_block, 5);
  EXPECT_FALSE(minimal->progress_percentage);
  EXPECT_FALSE(minimal->estimated_completion);
  EXPECT_FALSE(minimal->expected_version);

  const auto nulls = parse_progress_update(body(
      R"({"job_id":"0192f0c4-5b7a-7cde-8f01-23456789abcd","current_block":5,
          "progress_percentage":null,"estimated_completion":null,"expected_version":null})"));
  ASSERT_TRUE(nulls.ok());
  EXPECT_FALSE(nulls->progress_percentage);

  const auto full = parse_progress_update(body(
      R"({"job_id":"0192f0c4-5b7a-7cde-8f01-23456789abcd","current_block":0,
          "progress_percentage":100,"estimated_completion":"2026-11-22T06:30:00+05:30",
          "expected_version":1})"));
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->progress_percentage, 100.0);
  EXPECT_EQ(full->estimated_completion, parse_rfc3339("2026-11-22T01:00:00Z"));
  EXPECT_EQ(full->expected_version, 1);

  const auto zero = parse_progress_update(body(
      R"({"job_id":"0192f0c4-5b7a-7cde-8f01-23456789abcd","current_block":0,
          "progress_percentage":0.0})"));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->progress_percentage, 0.0);
}

TEST(ProgressUpdate, ReportsEveryInvalidField) {
  const std::vector<BadBody> cases = {
      {R"({})", {"job_id", "current_block"}},
      {R"({"job_id":"nope","current_block":-1,"progress_percentage":100.5,
           "estimated_completion":"2026-11-22T01:00:00","expected_version":0})",
       {"job_id", "current_block", "progress_percentage", "estimated_completion",
        "expected_version"}},
      {R"({"job_id":42,"current_block":"5","progress_percentage":"50",
           "estimated_completion":1700000000,"expected_version":1.5})",
       {"job_id", "current_block", "progress_percentage", "estimated_completion",
        "expected_version"}},
      {R"({"job_id":"0192f0c4-5b7a-7cde-8f01-23456789abcd","current_block":2.5,
           "progress_percentage":-0.001,"expected_version":true})",
       {"current_block", "progress_percentage", "expected_version"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_progress_update(body(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(fields_of(r.errors()), c.fields) << c.json;
  }
}

TEST(ProgressUpdate, RefusesNonFiniteNumbersBuiltInMemory) {
  // JSON text cannot carry NaN or infinity, but a value built in code can: still refused.
  boost::json::object o = body(R"({"job_id":"0192f0c4-5b7a-7cde-8f01-23456789abcd",
                                   "current_block":1})");
  o["progress_percentage"] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(fields_of(parse_progress_update(o).errors()),
            std::vector<std::string>{"progress_percentage"});
  o["progress_percentage"] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(fields_of(parse_progress_update(o).errors()),
            std::vector<std::string>{"progress_percentage"});
}

TEST(FailJob, LengthIsCountedInCodePoints) {
  const auto at_limit =
      parse_fail_job(body(R"({"error_message":")" + repeat("\u20ac", 10'000) + R"("})"));
  ASSERT_TRUE(at_limit.ok());
  EXPECT_EQ(at_limit->error_message.size(), 30'000u);  // 3 bytes each

  const std::vector<BadBody> cases = {
      {R"({})", {"error_message"}},
      {R"({"error_message":""})", {"error_message"}},
      {R"({"error_message":null})", {"error_message"}},
      {R"({"error_message":7})", {"error_message"}},
      {R"({"error_message":")" + repeat("\u20ac", 10'001) + R"("})", {"error_message"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_fail_job(body(c.json));
    ASSERT_FALSE(r.ok()) << c.json.substr(0, 40);
    EXPECT_EQ(fields_of(r.errors()), c.fields);
  }
}

TEST(JobIdPath, IsAUuid) {
  EXPECT_TRUE(parse_job_id("0192f0c4-5b7a-7cde-8f01-23456789abcd").ok());
  const auto bad = parse_job_id("123");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(fields_of(bad.errors()), std::vector<std::string>{"job_id"});
}

using Params = std::vector<QueryParams::ViewPair>;

TEST(BackfillListQuery, DefaultsAndValidValues) {
  const Params none;
  const auto defaults = parse_backfill_list_query(QueryParams(none));
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->status);
  EXPECT_FALSE(defaults->job_type);
  EXPECT_EQ(defaults->page.limit, 50);
  EXPECT_FALSE(defaults->page.after);

  const KeysetCursor cursor{CursorKind::backfill_jobs, from_unix_micros(1'700'000'000'000'000),
                            *Uuid::parse("0192f0c4-5b7a-7cde-8f01-23456789abcd")};
  const std::string token = encode_cursor(cursor);
  const Params all{{"status", "paused"},
                   {"job_type", "blocks"},
                   {"limit", "500"},
                   {"cursor", token},
                   {"unknown", "ignored"}};
  const auto r = parse_backfill_list_query(QueryParams(all));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, BackfillStatus::paused);
  EXPECT_EQ(r->job_type, "blocks");
  EXPECT_EQ(r->page.limit, 500);
  EXPECT_EQ(r->page.after, cursor);
}

TEST(BackfillListQuery, NamesEveryInvalidParameter) {
  const KeysetCursor metrics_cursor{CursorKind::metrics, Timestamp{}, Uuid{}};
  const std::string wrong_kind = encode_cursor(metrics_cursor);
  struct Case {
    Params params;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {{{"status", "done"}, {"job_type", "UPPER"}, {"limit", "0"}, {"cursor", "garbage"}},
       {"status", "job_type", "limit", "cursor"}},
      {{{"limit", "501"}}, {"limit"}},
      {{{"limit", "-1"}}, {"limit"}},
      {{{"limit", "ten"}}, {"limit"}},
      {{{"limit", ""}}, {"limit"}},
      {{{"limit", "+5"}}, {"limit"}},
      {{{"limit", "5.0"}}, {"limit"}},
      {{{"limit", "10"}, {"limit", "20"}}, {"limit"}},
      {{{"status", ""}}, {"status"}},
      {{{"status", "Running"}}, {"status"}},
      {{{"cursor", wrong_kind}}, {"cursor"}},
      {{{"cursor", ""}}, {"cursor"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_backfill_list_query(QueryParams(c.params));
    ASSERT_FALSE(r.ok()) << c.params.front().first << "=" << c.params.front().second;
    EXPECT_EQ(fields_of(r.errors()), c.fields)
        << c.params.front().first << "=" << c.params.front().second;
  }
}

TEST(BackfillListQuery, OwnedStringPairsWorkToo) {
  const std::vector<QueryParams::OwnedPair> params{{"status", "failed"}, {"limit", "7"}};
  const auto r = parse_backfill_list_query(params);  // a vector converts implicitly
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, BackfillStatus::failed);
  EXPECT_EQ(r->page.limit, 7);
}

}  // namespace
}  // namespace utxoiq::domain
