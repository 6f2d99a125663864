#pragma once
// The retention audit trail as JSON (api.md: `{run_id, dry_run, started_at, finished_at,
// policies: [{table, cutoff, archived, deleted, archive_uri, sha256}]}`), for the HTTP route and
// the CLI. A policy with several archives gives the first archive's URI and SHA-256 in
// archive_uri/sha256 and every one in `archives`.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "ops/retention.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::ops {

boost::json::array policies_json(const RetentionReport& report);
boost::json::object run_json(const RetentionReport& report);

struct RetentionRunsPage {
  boost::json::array runs;                  // newest first
  std::optional<std::int64_t> next_before;  // the id to pass as `before` for the next page
};

// Runs with id < before (all when nullopt), newest first, at most `limit`.
RetentionRunsPage list_retention_runs(pg::BlockingConnection& db, int limit,
                                      std::optional<std::int64_t> before);

}  // namespace utxoiq::ops
