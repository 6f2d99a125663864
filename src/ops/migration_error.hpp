#pragma once
// Why a migration run refused or failed. Connection failures surface as
// pg::BlockingConnectionError instead; MigrationSetError covers invalid files.
#include <stdexcept>
#include <string>
#include <utility>

namespace utxoiq::ops {

enum class MigrationErrorKind {
  kChecksumMismatch,  // an applied migration's file changed: nothing was run
  kStatementFailed,   // the migration's SQL failed: its transaction was rolled back
  kOutOfOrder,        // a pending version is below an applied one: nothing was run
  kUnknownVersion,    // down: the latest applied version is not in the binary's set
};

class MigrationError : public std::runtime_error {
 public:
  MigrationError(MigrationErrorKind kind, int version, const std::string& message,
                 std::string sqlstate = {})
      : std::runtime_error(message),
        kind_(kind),
        version_(version),
        sqlstate_(std::move(sqlstate)) {}

  MigrationErrorKind kind() const noexcept { return kind_; }
  // The migration concerned (the first one when several are).
  int version() const noexcept { return version_; }
  // The server's SQLSTATE for kStatementFailed, else empty.
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  MigrationErrorKind kind_;
  int version_;
  std::string sqlstate_;
};

}  // namespace utxoiq::ops
