// api.md "Conventions" and "Precise rules" for every backfill and feedback endpoint: each bad
// input tried, per endpoint, in one table — body fields (every field limit, wrong JSON types, a
// missing required field), query parameters, path ids, non-object bodies (400), unknown jobs
// (404), bad cursors (422) and an oversized body (413). Each 422 names exactly the invalid fields,
// and afterwards the tables show that nothing was written.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "domain/cursor.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

struct BadInput {
  std::string method;  // GET, POST, DELETE
  std::string target;  // "{job}": an existing running job's id; "{unknown}": an id of none
  std::string body;
  int status;
  std::vector<std::string> fields;  // for 422: every field named, in any order
};

std::string repeat(char c, std::size_t n) {
  return std::string(n, c);
}
std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}
std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

const std::string kBackfill = "/api/v1/monitoring/backfill";
const std::string kFeedback = "/api/v1/feedback";

std::vector<BadInput> backfill_cases() {
  const std::string start = kBackfill + "/start";
  const std::string progress = kBackfill + "/progress";
  const std::string ok_range = R"("start_block": 0, "end_block": 10)";
  std::vector<BadInput> cases{
      // POST /backfill/start
      {"POST", start, "{}", 422, {"job_type", "start_block", "end_block"}},
      {"POST", start, R"({"job_type": "Blocks", )" + ok_range + "}", 422, {"job_type"}},
      {"POST", start, R"({"job_type": "", )" + ok_range + "}", 422, {"job_type"}},
      {"POST", start, R"({"job_type": "a-b", )" + ok_range + "}", 422, {"job_type"}},
      {"POST",
       start,
       "{\"job_type\": " + quoted(repeat('a', 51)) + ", " + ok_range + "}",
       422,
       {"job_type"}},
      {"POST", start, R"({"job_type": 7, )" + ok_range + "}", 422, {"job_type"}},
      {"POST",
       start,
       R"({"job_type": "b", "start_block": -1, "end_block": 10})",
       422,
       {"start_block"}},
      {"POST",
       start,
       R"({"job_type": "b", "start_block": "12", "end_block": 10})",
       422,
       {"start_block"}},
      {"POST",
       start,
       R"({"job_type": "b", "start_block": true, "end_block": null})",
       422,
       {"start_block", "end_block"}},
      {"POST",
       start,
       R"({"job_type": "b", "start_block": 0, "end_block": 2.5})",
       422,
       {"end_block"}},
      {"POST",
       start,
       R"({"job_type": "b", "start_block": 1e30, "end_block": 10})",
       422,
       {"start_block"}},
      {"POST",
       start,
       R"({"job_type": "b", "start_block": 10, "end_block": 5})",
       422,
       {"start_block"}},
      {"POST",
       start,
       R"({"job_type": "b", )" + ok_range + ", \"created_by\": " + quoted(repeat('c', 101)) + "}",
       422,
       {"created_by"}},
      {"POST",
       start,
       R"({"job_type": "b", )" + ok_range + R"(, "created_by": 5})",
       422,
       {"created_by"}},
      {"POST", start, "", 400, {}},
      {"POST", start, "null", 400, {}},
      {"POST", start, "[]", 400, {}},
      {"POST", start, "42", 400, {}},
      {"POST", start, "\"text\"", 400, {}},
      {"POST", start, "true", 400, {}},
      {"POST", start, "{\"job_type\": ", 400, {}},
      // POST /backfill/progress
      {"POST", progress, "{}", 422, {"job_id", "current_block"}},
      {"POST",
       progress,
       R"({"job_id": "nope", "current_block": -1, "progress_percentage": 101,
           "estimated_completion": "2026-01-01T00:00:00", "expected_version": 0})",
       422,
       {"job_id", "current_block", "progress_percentage", "estimated_completion",
        "expected_version"}},
      {"POST",
       progress,
       R"({"job_id": "{job}", "current_block": 150, "progress_percentage": "5"})",
       422,
       {"progress_percentage"}},
      {"POST",
       progress,
       R"({"job_id": "{job}", "current_block": 150, "expected_version": 1.5})",
       422,
       {"expected_version"}},
      {"POST", progress, R"({"job_id": "{job}", "current_block": 99})", 422, {"current_block"}},
      {"POST", progress, R"({"job_id": "{job}", "current_block": 201})", 422, {"current_block"}},
      {"POST", progress, R"({"job_id": "{job}", "current_block": "150"})", 422, {"current_block"}},
      {"POST", progress, R"({"job_id": "{unknown}", "current_block": 1})", 404, {}},
      {"POST", progress, "[1]", 400, {}},
      // POST /backfill/{job_id}/complete|fail|pause|resume
      {"POST", kBackfill + "/not-a-uuid/complete", "{}", 422, {"job_id"}},
      {"POST", kBackfill + "/{unknown}/complete", "{}", 404, {}},
      {"POST", kBackfill + "/not-a-uuid/pause", "{}", 422, {"job_id"}},
      {"POST", kBackfill + "/{unknown}/pause", "{}", 404, {}},
      {"POST", kBackfill + "/01A2331E-A49C-7641-9547-22/resume", "{}", 422, {"job_id"}},
      {"POST", kBackfill + "/{unknown}/resume", "{}", 404, {}},
      {"POST", kBackfill + "/{job}/fail", "{}", 422, {"error_message"}},
      {"POST", kBackfill + "/{job}/fail", R"({"error_message": ""})", 422, {"error_message"}},
      {"POST",
       kBackfill + "/{job}/fail",
       "{\"error_message\": " + quoted(repeat('e', 10'001)) + "}",
       422,
       {"error_message"}},
      {"POST", kBackfill + "/{job}/fail", R"({"error_message": 500})", 422, {"error_message"}},
      {"POST", kBackfill + "/nope/fail", "{}", 422, {"job_id", "error_message"}},
      {"POST", kBackfill + "/{unknown}/fail", R"({"error_message": "x"})", 404, {}},
      {"POST", kBackfill + "/{job}/fail", "null", 400, {}},
      // GET /backfill/status
      {"GET", kBackfill + "/status?status=bogus", "", 422, {"status"}},
      {"GET", kBackfill + "/status?status=RUNNING", "", 422, {"status"}},
      {"GET", kBackfill + "/status?job_type=Upper", "", 422, {"job_type"}},
      {"GET", kBackfill + "/status?limit=0", "", 422, {"limit"}},
      {"GET", kBackfill + "/status?limit=501", "", 422, {"limit"}},
      {"GET", kBackfill + "/status?limit=abc", "", 422, {"limit"}},
      {"GET", kBackfill + "/status?limit=", "", 422, {"limit"}},
      {"GET", kBackfill + "/status?limit=1&limit=2", "", 422, {"limit"}},
      {"GET", kBackfill + "/status?cursor=garbage", "", 422, {"cursor"}},
      {"GET",
       kBackfill + "/status?status=x&limit=0&cursor=y",
       "",
       422,
       {"status", "limit", "cursor"}},
      // GET /backfill/{job_id}
      {"GET", kBackfill + "/not-a-uuid", "", 422, {"job_id"}},
      {"GET", kBackfill + "/{unknown}", "", 404, {}},
  };
  const domain::KeysetCursor feedback_cursor{domain::CursorKind::feedback, now_utc(), {}};
  cases.push_back({"GET",
                   kBackfill + "/status?cursor=" + domain::encode_cursor(feedback_cursor),
                   "",
                   422,
                   {"cursor"}});
  return cases;
}

std::vector<BadInput> feedback_cases() {
  const std::string rate = kFeedback + "/rate";
  const std::string comment = kFeedback + "/comment";
  const std::string flag = kFeedback + "/flag";
  const std::string pair = R"("insight_id": "i", "user_id": "u")";
  std::vector<std::string> too_many_ids(501, "\"i\"");
  std::string many;
  for (std::size_t i = 0; i < too_many_ids.size(); ++i) many += (i ? "," : "") + too_many_ids[i];
  const domain::KeysetCursor backfill_cursor{domain::CursorKind::backfill_jobs, now_utc(), {}};
  return {
      // POST /feedback/rate
      {"POST", rate, "{}", 422, {"insight_id", "user_id", "rating"}},
      {"POST", rate, "{" + pair + R"(, "rating": 0})", 422, {"rating"}},
      {"POST", rate, "{" + pair + R"(, "rating": 6})", 422, {"rating"}},
      {"POST", rate, "{" + pair + R"(, "rating": 2.5})", 422, {"rating"}},
      {"POST", rate, "{" + pair + R"(, "rating": "5"})", 422, {"rating"}},
      {"POST", rate, "{" + pair + R"(, "rating": true})", 422, {"rating"}},
      {"POST", rate, "{" + pair + R"(, "rating": null})", 422, {"rating"}},
      {"POST", rate, R"({"insight_id": "", "user_id": "u", "rating": 3})", 422, {"insight_id"}},
      {"POST",
       rate,
       "{\"insight_id\": " + quoted(repeat('i', 101)) + R"(, "user_id": "u", "rating": 3})",
       422,
       {"insight_id"}},
      // 101 code points of two bytes each: counted as characters, not bytes.
      {"POST",
       rate,
       R"({"insight_id": "i", "user_id": )" + quoted(repeat("é", 101)) + R"(, "rating": 3})",
       422,
       {"user_id"}},
      {"POST",
       rate,
       R"({"insight_id": 12, "user_id": ["u"], "rating": 3})",
       422,
       {"insight_id", "user_id"}},
      {"POST",
       rate,
       R"({"insight_id": "i", "user_id": "a\u0000b", "rating": 3})",
       422,
       {"user_id"}},
      {"POST", rate, "[{\"rating\": 3}]", 400, {}},
      {"POST", rate, "", 400, {}},
      // POST /feedback/comment
      {"POST", comment, "{" + pair + "}", 422, {"comment"}},
      {"POST", comment, "{" + pair + R"(, "comment": ""})", 422, {"comment"}},
      {"POST",
       comment,
       "{" + pair + ", \"comment\": " + quoted(repeat('c', 5'001)) + "}",
       422,
       {"comment"}},
      {"POST", comment, "{" + pair + R"(, "comment": 5})", 422, {"comment"}},
      {"POST", comment, R"({"comment": "hi"})", 422, {"insight_id", "user_id"}},
      {"POST", comment, "\"comment\"", 400, {}},
      // POST /feedback/flag
      {"POST", flag, "{" + pair + "}", 422, {"flag_type"}},
      {"POST", flag, "{" + pair + R"(, "flag_type": "bogus"})", 422, {"flag_type"}},
      {"POST", flag, "{" + pair + R"(, "flag_type": "SPAM"})", 422, {"flag_type"}},
      {"POST", flag, "{" + pair + R"(, "flag_type": 1})", 422, {"flag_type"}},
      {"POST",
       flag,
       "{" + pair + R"(, "flag_type": "spam", "flag_reason": )" + quoted(repeat('r', 2'001)) + "}",
       422,
       {"flag_reason"}},
      {"POST",
       flag,
       "{" + pair + R"(, "flag_type": "spam", "flag_reason": 3})",
       422,
       {"flag_reason"}},
      {"POST", flag, "null", 400, {}},
      // GET /feedback/stats
      {"GET", kFeedback + "/stats", "", 422, {"insight_id"}},
      {"GET", kFeedback + "/stats?insight_id=", "", 422, {"insight_id"}},
      {"GET", kFeedback + "/stats?insight_id=" + repeat('i', 101), "", 422, {"insight_id"}},
      {"GET", kFeedback + "/stats?insight_id=a&insight_id=b", "", 422, {"insight_id"}},
      // POST /feedback/stats/batch
      {"POST", kFeedback + "/stats/batch", "{}", 422, {"insight_ids"}},
      {"POST", kFeedback + "/stats/batch", R"({"insight_ids": []})", 422, {"insight_ids"}},
      {"POST", kFeedback + "/stats/batch", R"({"insight_ids": "i"})", 422, {"insight_ids"}},
      {"POST",
       kFeedback + "/stats/batch",
       "{\"insight_ids\": [" + many + "]}",
       422,
       {"insight_ids"}},
      {"POST",
       kFeedback + "/stats/batch",
       R"({"insight_ids": ["ok", "", 5]})",
       422,
       {"insight_ids[1]", "insight_ids[2]"}},
      {"POST", kFeedback + "/stats/batch", R"(["i"])", 400, {}},
      // GET /feedback
      {"GET", kFeedback + "?rating=7", "", 422, {"rating"}},
      {"GET", kFeedback + "?rating=0", "", 422, {"rating"}},
      {"GET", kFeedback + "?rating=2.5", "", 422, {"rating"}},
      {"GET", kFeedback + "?min_rating=0", "", 422, {"min_rating"}},
      {"GET", kFeedback + "?max_rating=6", "", 422, {"max_rating"}},
      {"GET", kFeedback + "?min_rating=4&max_rating=2", "", 422, {"min_rating"}},
      {"GET", kFeedback + "?has_comment=maybe", "", 422, {"has_comment"}},
      {"GET", kFeedback + "?has_comment=1", "", 422, {"has_comment"}},
      {"GET", kFeedback + "?from=2026-01-01T00:00:00", "", 422, {"from"}},
      {"GET", kFeedback + "?to=yesterday", "", 422, {"to"}},
      {"GET", kFeedback + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "", 422, {"from"}},
      {"GET", kFeedback + "?flag_type=bogus", "", 422, {"flag_type"}},
      {"GET", kFeedback + "?insight_id=", "", 422, {"insight_id"}},
      {"GET", kFeedback + "?user_id=" + repeat('u', 101), "", 422, {"user_id"}},
      {"GET", kFeedback + "?limit=0", "", 422, {"limit"}},
      {"GET", kFeedback + "?limit=501", "", 422, {"limit"}},
      {"GET", kFeedback + "?cursor=abc", "", 422, {"cursor"}},
      {"GET", kFeedback + "?cursor=" + domain::encode_cursor(backfill_cursor), "", 422, {"cursor"}},
      {"GET",
       kFeedback + "?rating=7&has_comment=maybe&limit=0&from=x",
       "",
       422,
       {"rating", "has_comment", "limit", "from"}},
      // GET /feedback/comments and /feedback/user
      {"GET", kFeedback + "/comments", "", 422, {"insight_id"}},
      {"GET", kFeedback + "/comments?insight_id=i&limit=0", "", 422, {"limit"}},
      {"GET", kFeedback + "/comments?insight_id=i&cursor=zz", "", 422, {"cursor"}},
      {"GET", kFeedback + "/user", "", 422, {"user_id"}},
      {"GET", kFeedback + "/user?user_id=u&limit=-1", "", 422, {"limit"}},
      {"GET", kFeedback + "/user?user_id=u&cursor=zz", "", 422, {"cursor"}},
      // DELETE /feedback/user/{user_id}
      {"DELETE", kFeedback + "/user/" + repeat('u', 101), "", 422, {"user_id"}},
  };
}

class BadInputs : public ::testing::Test {
 protected:
  void run_cases(const std::vector<BadInput>& cases) {
    for (const auto& c : cases) {
      std::string target = c.target;
      std::string body = c.body;
      for (std::string* text : {&target, &body}) {
        for (const auto& [placeholder, value] :
             {std::pair<std::string, std::string>{"{job}", job_id_},
              std::pair<std::string, std::string>{"{unknown}", unknown_id_}}) {
          for (auto at = text->find(placeholder); at != std::string::npos;
               at = text->find(placeholder)) {
            text->replace(at, placeholder.size(), value);
          }
        }
      }
      const auto response = client_.request(c.method, target, body);
      const std::string label =
          c.method + " " + c.target.substr(0, 120) + " " + c.body.substr(0, 120);
      EXPECT_EQ(response.status, c.status) << label << "\n" << response.body.substr(0, 400);
      EXPECT_EQ(response.header("Content-Type"), "application/problem+json") << label;
      if (c.status == 422) {
        auto named = response.error_fields();
        auto expected = c.fields;
        std::sort(named.begin(), named.end());
        std::sort(expected.begin(), expected.end());
        EXPECT_EQ(named, expected) << label;
      }
    }
  }

  void SetUp() override {
    job_id_ = std::string(start_job(client_, "blocks", 100, 200).at("id").as_string());
  }

  void expect_nothing_written() {
    const auto& url = service_.database_url();
    EXPECT_EQ(sql_count(url, "SELECT count(*) FROM backfill_jobs"), 1);
    EXPECT_EQ(sql_value(url,
                        "SELECT concat_ws(',', status, current_block, version, error_message) "
                        "FROM backfill_jobs"),
              "running,100,1");
    EXPECT_EQ(sql_count(url, "SELECT count(*) FROM insight_feedback"), 0);
    EXPECT_EQ(sql_count(url, "SELECT count(*) FROM insight_feedback_stats"), 0);
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  std::string job_id_;
  std::string unknown_id_ = new_uuid_v7().to_string();
};

TEST_F(BadInputs, BackfillEndpoints) {
  run_cases(backfill_cases());
  expect_nothing_written();
}

TEST_F(BadInputs, FeedbackEndpoints) {
  run_cases(feedback_cases());
  expect_nothing_written();
}

TEST_F(BadInputs, AnOversizedBodyIs413) {
  const std::string huge = "{\"comment\": \"" + std::string(1024 * 1024, 'x') + "\"}";
  for (const std::string& target : {kFeedback + "/comment", kBackfill + "/start"}) {
    const auto response = client_.post(target, std::string_view(huge));
    EXPECT_EQ(response.status, 413) << target;
    EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
  }
  expect_nothing_written();
}

TEST_F(BadInputs, ErrorsGiveAMessageForEachField) {
  const auto response = client_.post(kFeedback + "/rate", std::string_view("{}"));
  ASSERT_EQ(response.status, 422);
  const auto body = response.json().as_object();
  EXPECT_EQ(body.at("status").as_int64(), 422);
  for (const auto& error : body.at("errors").as_array()) {
    EXPECT_FALSE(error.as_object().at("message").as_string().empty());
  }
}

}  // namespace
}  // namespace utxoiq::testing
