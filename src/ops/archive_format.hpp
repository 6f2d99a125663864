#pragma once
// The retention archive format: one row per line as PostgreSQL's row_to_json (JSON Lines),
// compressed with zstd, plus a manifest (JSON) beside it naming the table, the key range, the row
// count, the first and last key, the schema version and the SHA-256 of the compressed file.
// check_archive() is the read-back: an archive whose bytes do not prove every field of its
// manifest is refused, and nothing is deleted on its strength.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::ops {

struct ArchiveManifest {
  std::string table;
  std::string range_from;  // the time key's range, RFC 3339: [range_from, range_to)
  std::string range_to;
  std::int64_t row_count = 0;
  std::string min_key;  // "<time> <id>" of the first and last row, in key order
  std::string max_key;
  std::string schema_version;  // the newest migration applied when the archive was made
  std::string sha256;          // of the compressed data file
  std::string data_file;       // the data file's name beside the manifest
};

// The archive failed its check (corrupt, truncated, or not what its manifest says).
class ArchiveCorrupt : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string compress_lines(const std::vector<std::string>& lines);
// Throws ArchiveCorrupt when the bytes are not a whole zstd frame.
std::vector<std::string> decompress_lines(std::string_view bytes);

std::string manifest_json(const ArchiveManifest& manifest);
ArchiveManifest parse_manifest(std::string_view json);  // throws ArchiveCorrupt

// "<time> <id>" of one archived row; `time_column` names the member holding its time key.
std::string row_key(std::string_view line, const std::string& time_column);

// Checks `bytes` against the manifest (SHA-256, a whole zstd frame, row count, first and last key)
// and returns the rows; throws ArchiveCorrupt naming the first mismatch.
std::vector<std::string> check_archive(std::string_view bytes, const ArchiveManifest& manifest,
                                       const std::string& time_column);

}  // namespace utxoiq::ops
