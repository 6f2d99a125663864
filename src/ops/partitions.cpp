// Partition maintenance of system_metrics (see partitions.hpp).
#include "ops/partitions.hpp"

#include <algorithm>
#include <exception>

#include "pg/blocking_connection.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::ops {

namespace {

constexpr const char* kListPartitionsSql = R"sql(
SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'system_metrics'::regclass
ORDER BY c.relname)sql";

constexpr const char* kColumns =
    R"(id, service_name, metric_type, metric_value, unit, "timestamp", metadata)";

// "name" with embedded quotes doubled: the DEFAULT partition's name comes from the catalogue.
std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A timestamptz literal of a day start; DDL bounds cannot be parameters.
std::string day_literal(std::chrono::sys_days day) {
  return "'" + format_pg_timestamptz(Timestamp{day}) + "'";
}

std::vector<std::chrono::sys_days> days_in_default(pg::BlockingConnection& connection,
                                                   const std::string& default_name) {
  // A full scan of DEFAULT: it holds only the rows that found no partition, normally none.
  // Printed in the session's time zone, UTC here: "2026-01-05 00:00:00+00".
  const auto result =
      connection.exec("SELECT DISTINCT date_trunc('day', \"timestamp\", 'UTC') FROM " +
                      quote_identifier(default_name));
  std::vector<std::chrono::sys_days> days;
  for (const auto& row : result.rows) {
    const auto t = parse_pg_timestamptz(row.at(0).value_or(""));
    if (!t) throw std::runtime_error("unreadable day in the DEFAULT partition");
    days.push_back(std::chrono::floor<std::chrono::days>(*t));
  }
  return days;
}

// The partitions, the days with rows in DEFAULT, and what to do about them.
struct Survey {
  std::vector<MetricPartition> partitions;
  std::optional<std::string> default_name;
  std::vector<std::chrono::sys_days> default_days;
  PartitionPlan plan;
};

Survey survey_partitions(pg::BlockingConnection& connection, std::chrono::sys_days today,
                         int days_ahead) {
  Survey survey;
  survey.partitions = list_metric_partitions(connection);
  std::vector<PartitionBound> bounds;
  for (const auto& p : survey.partitions) {
    if (p.is_default) {
      survey.default_name = p.name;
    } else {
      bounds.push_back(p.bound);
    }
  }
  if (survey.default_name) {
    survey.default_days = days_in_default(connection, *survey.default_name);
  }
  survey.plan = plan_partitions(bounds, today, days_ahead, survey.default_days);
  return survey;
}

void rollback_quietly(pg::BlockingConnection& connection) {
  try {
    if (connection.is_ok() && connection.in_transaction()) connection.exec("ROLLBACK");
  } catch (...) {
    // A lost connection rolls back on the server anyway.
  }
}

PartitionMaintenanceReport maintain_in_transaction(pg::BlockingConnection& connection,
                                                   const PartitionMaintenanceOptions& options) {
  connection.exec("SET LOCAL lock_timeout = " + std::to_string(options.lock_timeout.count()));
  // pg_get_expr prints bounds in the session's time zone; UTC makes them "+00".
  connection.exec("SET LOCAL TimeZone = 'UTC'");
  connection.exec_params("SELECT pg_advisory_xact_lock($1)", {std::to_string(kPartitionLockKey)});

  // A first look without blocking writers: most passes find nothing to do.
  const auto today = std::chrono::floor<std::chrono::days>(options.now.value_or(now_utc()));
  Survey survey = survey_partitions(connection, today, options.days_ahead);
  if (!survey.plan.create.empty()) {
    // Something to create. CREATE TABLE ... PARTITION OF takes this lock on the parent anyway;
    // taking it first, then looking again, means no write can put a row into DEFAULT for a day
    // being created between the look and the DDL (which would make the CREATE fail). Writers
    // wait at most for this transaction, about once a day.
    connection.exec("LOCK TABLE system_metrics IN ACCESS EXCLUSIVE MODE");
    survey = survey_partitions(connection, today, options.days_ahead);
  }
  const auto& partitions = survey.partitions;
  const auto& default_name = survey.default_name;
  const auto& default_days = survey.default_days;
  const auto& plan = survey.plan;

  PartitionMaintenanceReport report;
  report.blocked = plan.blocked;
  std::vector<std::chrono::sys_days> to_move;
  for (const auto day : plan.create) {
    if (std::find(default_days.begin(), default_days.end(), day) != default_days.end()) {
      to_move.push_back(day);
    }
  }
  const bool detach = default_name && !to_move.empty();
  if (detach) {
    connection.exec("ALTER TABLE system_metrics DETACH PARTITION " +
                    quote_identifier(*default_name));
  }
  for (const auto day : plan.create) {
    const auto name = day_partition_name(day);
    connection.exec("CREATE TABLE " + quote_identifier(name) +
                    " PARTITION OF system_metrics FOR VALUES FROM (" + day_literal(day) + ") TO (" +
                    day_literal(day + std::chrono::days{1}) + ")");
    report.created.push_back(name);
  }
  for (const auto day : to_move) {
    const auto moved = connection.exec_params(
        std::string("WITH moved AS (DELETE FROM ") + quote_identifier(*default_name) +
            " WHERE \"timestamp\" >= $1 AND \"timestamp\" < $2 RETURNING " + kColumns +
            ") INSERT INTO " + quote_identifier(day_partition_name(day)) + " (" + kColumns +
            ") SELECT " + kColumns + " FROM moved",
        {format_pg_timestamptz(Timestamp{day}),
         format_pg_timestamptz(Timestamp{day + std::chrono::days{1}})});
    report.moved_rows += moved.affected_rows;
  }
  if (detach) {
    connection.exec("ALTER TABLE system_metrics ATTACH PARTITION " +
                    quote_identifier(*default_name) + " DEFAULT");
  }
  report.partitions = report.created.empty() ? partitions : list_metric_partitions(connection);
  return report;
}

}  // namespace

std::vector<MetricPartition> list_metric_partitions(pg::BlockingConnection& connection) {
  const auto result = connection.exec(kListPartitionsSql);
  std::vector<MetricPartition> partitions;
  for (const auto& row : result.rows) {
    MetricPartition p;
    p.name = row.at(0).value_or("");
    const std::string bound = row.at(1).value_or("");
    if (bound == "DEFAULT") {
      p.is_default = true;
    } else if (const auto parsed = parse_partition_bound(bound)) {
      p.bound = *parsed;
    } else {
      throw std::runtime_error("partition " + p.name +
                               " has a bound this version cannot read: " + bound);
    }
    partitions.push_back(std::move(p));
  }
  return partitions;
}

PartitionMaintenanceReport maintain_metric_partitions(pg::BlockingConnection& connection,
                                                      const PartitionMaintenanceOptions& options) {
  connection.exec("BEGIN");
  try {
    auto report = maintain_in_transaction(connection, options);
    connection.exec("COMMIT");
    return report;
  } catch (...) {
    rollback_quietly(connection);
    throw;
  }
}

PartitionMaintenanceReport maintain_metric_partitions(const std::string& conninfo,
                                                      const PartitionMaintenanceOptions& options) {
  pg::BlockingConnection connection(conninfo);
  return maintain_metric_partitions(connection, options);
}

}  // namespace utxoiq::ops
