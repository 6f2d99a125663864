#pragma once
// `utxoiq-store retention restore ARCHIVE [--into TABLE]`: loads a retention archive back, into
// its own table or into a scratch table (created like the archive's table when missing). The
// archive is checked against its manifest (SHA-256 first) before any row is written, and every
// row goes in one transaction: a restore loads all of the archive or nothing. Archives are only
// worth something if they can be read back.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace utxoiq::ops {

// A bad argument (the archive is not a retention archive, TABLE is not a plain identifier).
class RestoreArgumentError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct RestoreReport {
  std::string table;  // where the rows went
  std::int64_t rows = 0;
  std::string sha256;
};

// `archive`: the data file (NAME.jsonl.zst) or its manifest (NAME.manifest.json). Throws
// ArchiveCorrupt for a damaged archive, RestoreArgumentError, or the database's error.
RestoreReport restore_archive(const std::string& database_url, const std::filesystem::path& archive,
                              const std::optional<std::string>& into);

}  // namespace utxoiq::ops
