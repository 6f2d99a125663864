#pragma once
// The two steps retention takes per archive, each recorded in retention_archives so that a crash
// at any point is completed by the next run (ops/retention.hpp):
//  1. archive(): the rows are written to the sink (data file, then manifest), read back and
//     checked against the manifest; only then is the archive 'verified'. A failed check marks it
//     'failed' and removes its files: its rows are still in the table.
//  2. delete_rows(): the rows of a verified archive are deleted in batches of bounded size, each
//     batch in its own short transaction together with the archive's deleted_rows, and only where
//     the row still equals its archived version; then the archive is 'deleted'.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/retention_policy.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::ops {

class ArchiveSink;

struct RetentionContext {
  pg::BlockingConnection& db;
  ArchiveSink& sink;
  std::int64_t run_id = 0;
  std::string schema_version;
  std::int64_t delete_batch = 5000;
  std::function<bool()> should_stop;  // see RetentionOptions::should_stop
  // Test hook, called at "written" (before the read-back), "verified" (before deleting) and
  // "deleted_batch" (after each committed batch).
  std::function<void(std::string_view stage, const std::string& data_name)> on_stage;
};

struct ArchivedRows {
  std::int64_t archive_id = 0;
  std::string data_name;  // in the sink
  std::string uri;
  std::string sha256;
  std::vector<std::string> lines;  // the rows, as checked by the read-back
};

// Step 1 for `lines` (rows of `policy` in (time, id) order, at least one). Throws what failed;
// the archive is then 'failed' and its files are gone.
ArchivedRows archive_rows(RetentionContext& ctx, const RetentionPolicy& policy,
                          const std::string& range_from, const std::string& range_to,
                          std::vector<std::string> lines);

// The archive `archive_id` read back from the sink and checked again (for an unfinished one).
ArchivedRows read_back(RetentionContext& ctx, const RetentionPolicy& policy,
                       std::int64_t archive_id, const std::string& data_name);

// Step 2; returns the rows deleted (the archive's deleted_rows grows with each batch).
std::int64_t delete_rows(RetentionContext& ctx, const RetentionPolicy& policy,
                         const ArchivedRows& archive);

// Throws RetentionStopped when ctx.should_stop() says so.
void stop_point(const RetentionContext& ctx);

// The manifest's name in the sink beside a data file.
std::string manifest_name(const std::string& data_name);

// Array literals of the archived rows' ids and version values, for unnest($1::uuid[], $2...).
struct RowKeys {
  std::string ids;
  std::string versions;
};
RowKeys row_keys(const RetentionPolicy& policy, const std::vector<std::string>& lines,
                 std::size_t from, std::size_t to);

}  // namespace utxoiq::ops
