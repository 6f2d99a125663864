#pragma once
// The manifest of a backup, taken inside the dump's snapshot: every table of the public schema
// with its row count and a checksum of its rows, the server version and the schema version. A
// restore is equal to the backup when the same summaries come out of the restored database.
//
// The checksum is the sum, as an exact numeric, of the first 64 bits of md5(row::text) over the
// rows. A sum does not depend on row order, so no sort is needed (a 10M-row table is read once),
// and it needs no memory per row (string_agg of the rows would hit PostgreSQL's 1 GB value limit).
// Every column is in row::text, so a changed, lost or added row changes the sum except with a
// probability of about 2^-64.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "ops/backup_types.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::ops {

// The summaries of every ordinary table (partitions included, partitioned parents not: their rows
// are their partitions') of the public schema, in name order, as the connection's transaction
// sees them.
std::vector<TableSummary> summarise_tables(pg::BlockingConnection& connection);
// server_version, schema version and table summaries (sha256 and bytes left empty).
BackupManifest take_manifest(pg::BlockingConnection& connection);
// server_version_num of the connected server (150004).
int server_version_num(pg::BlockingConnection& connection);

// The differences between what a manifest recorded and what a restore holds, one line each
// ("table feedback: rows 10 in the backup, 9 restored"); empty when equal.
std::vector<std::string> compare_tables(const std::vector<TableSummary>& expected,
                                        const std::vector<TableSummary>& actual);

boost::json::object manifest_to_json(const BackupManifest& manifest);
// Throws std::runtime_error when the JSON is not a manifest.
BackupManifest manifest_from_json(const boost::json::value& json);

}  // namespace utxoiq::ops
