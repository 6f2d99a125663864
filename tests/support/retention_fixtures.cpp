// See retention_fixtures.hpp.
#include "support/retention_fixtures.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ops/archive_format.hpp"
#include "ops/partitions.hpp"
#include "pg/blocking_connection.hpp"
#include "support/sql_probe.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::testing {

namespace {

using namespace std::chrono;

std::string at(Timestamp t) {
  return "'" + format_rfc3339(t) + "'::timestamptz";
}

void insert_job(pg::BlockingConnection& db, const std::string& status, Timestamp started) {
  db.exec(
      "INSERT INTO backfill_jobs (id, job_type, start_block, end_block, current_block, "
      "status, started_at, updated_at) VALUES (gen_random_uuid(), 'blocks', 0, 10, 10, '" +
      status + "', " + at(started) + ", " + at(started) + ")");
}

void insert_feedback(pg::BlockingConnection& db, int i, Timestamp updated) {
  db.exec(
      "INSERT INTO insight_feedback (id, insight_id, user_id, rating, comment, flag_type, "
      "created_at, updated_at) VALUES (gen_random_uuid(), 'insight-" +
      std::to_string(i % 3) + "', 'user-" + std::to_string(i) + "', " + std::to_string(1 + i % 5) +
      ", " + (i % 2 ? "'nice'" : "NULL") + ", " + (i % 4 == 0 ? "'spam'" : "NULL") + ", " +
      at(updated) + ", " + at(updated) + ")");
}

void insert_metric(pg::BlockingConnection& db, int i, Timestamp t) {
  db.exec(
      "INSERT INTO system_metrics (id, service_name, metric_type, metric_value, unit, "
      "\"timestamp\", metadata) VALUES (gen_random_uuid(), 'svc', 'cpu', " +
      std::to_string(i) + ".5, 'ms', " + at(t) + ", '{\"i\": " + std::to_string(i) + "}')");
}

}  // namespace

RetentionSeed seed_retention_data(const std::string& url, Timestamp now) {
  RetentionSeed seed{now};
  pg::BlockingConnection db(url);
  for (int i = 0; i < 5; ++i) insert_job(db, i % 2 ? "completed" : "failed", now - days{200 + i});
  seed.expired_jobs = 5;
  insert_job(db, "running", now - days{300});  // kept, whatever its age
  insert_job(db, "paused", now - days{300});
  insert_job(db, "completed", now - days{10});
  for (int i = 0; i < 7; ++i) insert_feedback(db, i, now - days{800} + minutes{i});
  seed.expired_feedback = 7;
  for (int i = 7; i < 10; ++i) insert_feedback(db, i, now - days{5});
  // Metric partitions: the day before the cutoff's day (wholly expired) and the cutoff's day.
  const Timestamp cutoff = now - days{90};
  ops::maintain_metric_partitions(db, {.days_ahead = 1, .now = cutoff - days{1}});
  const auto cutoff_day = floor<days>(cutoff);
  for (int i = 0; i < 4; ++i) insert_metric(db, i, Timestamp{cutoff_day - days{1}} + hours{i});
  for (int i = 4; i < 6; ++i) insert_metric(db, i, cutoff - minutes{i});     // straddling: old
  insert_metric(db, 6, cutoff + minutes{1});                                 // straddling: kept
  for (int i = 7; i < 10; ++i) insert_metric(db, i, cutoff - days{20 + i});  // in DEFAULT
  insert_metric(db, 10, now - days{1});                                      // in DEFAULT, kept
  seed.expired_metrics = 4 + 2 + 3;
  return seed;
}

std::set<std::string> row_texts(const std::string& url, const std::string& table,
                                const std::string& where) {
  pg::BlockingConnection db(url);
  db.exec("SET TimeZone = 'UTC'");
  const auto result = db.exec("SELECT row_to_json(t)::text FROM " + table + " AS t WHERE " + where);
  std::set<std::string> rows;
  for (const auto& row : result.rows) rows.insert(*row.at(0));
  return rows;
}

std::multiset<std::string> archived_rows(const std::filesystem::path& dir,
                                         const std::string& table) {
  std::multiset<std::string> rows;
  if (!std::filesystem::exists(dir / table)) return rows;
  for (const auto& entry : std::filesystem::directory_iterator(dir / table)) {
    if (!entry.path().string().ends_with(".jsonl.zst")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    for (auto& line : ops::decompress_lines(bytes.str())) rows.insert(std::move(line));
  }
  return rows;
}

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

bool feedback_stats_exact(const std::string& url) {
  return sql_count(url,
                   "SELECT count(*) FROM (SELECT insight_id, count(rating), "
                   "coalesce(sum(rating), 0), count(*) FILTER (WHERE rating = 1), "
                   "count(*) FILTER (WHERE rating = 5), count(comment), count(flag_type), "
                   "count(*) FILTER (WHERE flag_type = 'spam') FROM insight_feedback GROUP BY 1 "
                   "EXCEPT SELECT insight_id, total_ratings, rating_sum, rating_1, rating_5, "
                   "total_comments, total_flags, flag_spam FROM insight_feedback_stats "
                   "WHERE total_ratings + total_comments + total_flags > 0) AS diff") == 0 &&
         sql_count(url,
                   "SELECT count(*) FROM insight_feedback_stats s WHERE total_ratings + "
                   "total_comments + total_flags > 0 AND NOT EXISTS (SELECT 1 FROM "
                   "insight_feedback f WHERE f.insight_id = s.insight_id)") == 0;
}

}  // namespace utxoiq::testing
