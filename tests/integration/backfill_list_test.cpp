// GET /api/v1/monitoring/backfill/status (api.md "Backfill jobs", "Conventions"): newest started_at
// first, filters by status and job_type, keyset pages with opaque cursors that stay exact when jobs
// are started between two page fetches, and 422 for a bad cursor. Criterion 5 of requirement 1:
// the most recent job is the first item of the first page (its speed is measured in bench/).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "domain/cursor.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

const std::string kStatus = "/api/v1/monitoring/backfill/status";

std::vector<std::string> ids_of(const json::object& page) {
  std::vector<std::string> ids;
  for (const auto& job : page.at("jobs").as_array()) {
    ids.emplace_back(job.as_object().at("id").as_string());
  }
  return ids;
}

// Every page of `query` (which has no cursor yet), following next_cursor to the end.
std::vector<std::vector<std::string>> all_pages(HttpClient& client, const std::string& query) {
  std::vector<std::vector<std::string>> pages;
  std::string target = kStatus + query;
  for (int guard = 0; guard < 100; ++guard) {
    const auto page = get_ok(client, target);
    pages.push_back(ids_of(page));
    if (page.at("next_cursor").is_null()) break;
    target = kStatus + query + (query.empty() ? "?" : "&") +
             "cursor=" + std::string(page.at("next_cursor").as_string());
  }
  return pages;
}

class BackfillList : public ::testing::Test {
 protected:
  // Starts jobs one after another; returns their ids, oldest first.
  std::vector<std::string> start_jobs(int count, const std::string& job_type = "blocks") {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      ids.emplace_back(start_job(client_, job_type).at("id").as_string());
    }
    return ids;
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
};

TEST_F(BackfillList, TheMostRecentJobComesFirst) {
  const auto ids = start_jobs(3);
  const auto page = get_ok(client_, kStatus + "?limit=1");
  EXPECT_EQ(ids_of(page), std::vector<std::string>{ids.back()});
  EXPECT_FALSE(page.at("next_cursor").is_null());
}

TEST_F(BackfillList, PagesWalkEveryJobNewestFirstWithoutRepeats) {
  const auto ids = start_jobs(7);
  const auto pages = all_pages(client_, "?limit=3");
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].size(), 3u);
  EXPECT_EQ(pages[1].size(), 3u);
  EXPECT_EQ(pages[2].size(), 1u);
  std::vector<std::string> walked;
  for (const auto& page : pages) walked.insert(walked.end(), page.begin(), page.end());
  const std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
  EXPECT_EQ(walked, newest_first);
}

TEST_F(BackfillList, APageThatEndsTheListHasNoNextCursor) {
  start_jobs(4);
  const auto pages = all_pages(client_, "?limit=2");
  EXPECT_EQ(pages.size(), 2u) << "exactly two full pages, and no empty third one";
  EXPECT_TRUE(get_ok(client_, kStatus + "?limit=10").at("next_cursor").is_null());
  EXPECT_TRUE(get_ok(client_, kStatus).at("next_cursor").is_null());
}

TEST_F(BackfillList, JobsStartedBetweenPageFetchesCauseNoDuplicateOrGap) {
  const auto before = start_jobs(6);
  const auto first = get_ok(client_, kStatus + "?limit=2");
  start_jobs(3);  // newer than everything listed so far
  std::vector<std::string> walked = ids_of(first);
  std::string cursor(first.at("next_cursor").as_string());
  while (true) {
    const auto page = get_ok(client_, kStatus + "?limit=2&cursor=" + cursor);
    const auto ids = ids_of(page);
    walked.insert(walked.end(), ids.begin(), ids.end());
    if (page.at("next_cursor").is_null()) break;
    cursor = std::string(page.at("next_cursor").as_string());
  }
  const std::vector<std::string> newest_first(before.rbegin(), before.rend());
  EXPECT_EQ(walked, newest_first);
}

TEST_F(BackfillList, JobsWithTheSameStartTimeArePagedByIdWithoutLoss) {
  start_jobs(5);
  // Same started_at for all: the id breaks the tie, so keyset pages still see each job once.
  sql_exec(service_.database_url(), "UPDATE backfill_jobs SET started_at = '2026-01-01T00:00:00Z'");
  const auto pages = all_pages(client_, "?limit=2");
  std::set<std::string> seen;
  std::size_t total = 0;
  for (const auto& page : pages) {
    total += page.size();
    seen.insert(page.begin(), page.end());
  }
  EXPECT_EQ(total, 5u);
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(BackfillList, FiltersByStatusAndJobType) {
  const auto blocks = start_jobs(2, "blocks");
  const auto txs = start_jobs(2, "transactions");
  post_ok(client_, "/api/v1/monitoring/backfill/" + blocks[0] + "/pause", {});
  post_ok(client_, "/api/v1/monitoring/backfill/" + txs[1] + "/complete", {});

  EXPECT_EQ(ids_of(get_ok(client_, kStatus + "?status=paused")),
            std::vector<std::string>{blocks[0]});
  EXPECT_EQ(ids_of(get_ok(client_, kStatus + "?status=completed")),
            std::vector<std::string>{txs[1]});
  EXPECT_EQ(ids_of(get_ok(client_, kStatus + "?job_type=transactions")),
            (std::vector<std::string>{txs[1], txs[0]}));
  EXPECT_EQ(ids_of(get_ok(client_, kStatus + "?status=running&job_type=blocks")),
            std::vector<std::string>{blocks[1]});
  EXPECT_TRUE(ids_of(get_ok(client_, kStatus + "?status=failed")).empty());
  // A filtered list pages too.
  const auto pages = all_pages(client_, "?job_type=blocks&limit=1");
  EXPECT_EQ(pages, (std::vector<std::vector<std::string>>{{blocks[1]}, {blocks[0]}}));
}

TEST_F(BackfillList, ABadCursorIs422) {
  start_jobs(1);
  const domain::KeysetCursor feedback_cursor{domain::CursorKind::feedback, now_utc(), {}};
  for (const std::string& cursor :
       {std::string("garbage"), std::string(35, 'A'), domain::encode_cursor(feedback_cursor)}) {
    const auto response = client_.get(kStatus + "?cursor=" + cursor);
    EXPECT_EQ(response.status, 422) << cursor;
    EXPECT_EQ(response.error_fields(), std::vector<std::string>{"cursor"}) << cursor;
  }
}

}  // namespace
}  // namespace utxoiq::testing
