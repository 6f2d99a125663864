#pragma once
// A small synchronous PostgreSQL connection for the command-line operations (migrate,
// partitions, retention, keys), where a blocking call is simpler than the service's async pool and
// nothing else runs meanwhile. Errors are exceptions carrying the server's SQLSTATE.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

struct pg_conn;  // libpq's PGconn, so that this header does not pull in libpq-fe.h

namespace utxoiq::pg {

// A failed connect or statement. sqlstate() is the server's five-character code ("42P01",
// "23505", ...), or empty when the failure did not come from the server (refused connection,
// lost connection, bad connection string). what() never contains a password.
class BlockingConnectionError : public std::runtime_error {
 public:
  BlockingConnectionError(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// Every row of a statement's result, as text (PostgreSQL's text output format); nullopt is NULL.
struct BlockingResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::int64_t affected_rows = 0;  // rows inserted/updated/deleted, 0 for other statements

  // The value at (row, column name); throws std::out_of_range for an unknown row or column.
  const std::optional<std::string>& at(std::size_t row, const std::string& column) const;
};

class BlockingConnection {
 public:
  // Connects (libpq connection string or postgresql:// URI); throws BlockingConnectionError.
  // A connect_timeout of 10 s applies unless the connection string sets one.
  explicit BlockingConnection(const std::string& conninfo);
  ~BlockingConnection();
  BlockingConnection(BlockingConnection&&) noexcept;
  BlockingConnection& operator=(BlockingConnection&&) noexcept;
  BlockingConnection(const BlockingConnection&) = delete;
  BlockingConnection& operator=(const BlockingConnection&) = delete;

  // Runs SQL text that may hold several statements (a migration file); returns the result of the
  // last one. Without an explicit transaction PostgreSQL runs the statements as one implicit
  // transaction.
  BlockingResult exec(const std::string& sql);
  // Runs one statement with $1, $2, ... bound to `params` (text format; nullopt is NULL).
  BlockingResult exec_params(const std::string& sql,
                             const std::vector<std::optional<std::string>>& params = {});

  // True between BEGIN and COMMIT/ROLLBACK (also when the transaction has failed).
  bool in_transaction() const;
  // False once the connection to the server is lost.
  bool is_ok() const;

 private:
  pg_conn* conn_ = nullptr;
};

// `text` with every password of `conninfo` (URI user:password@ or password=...) replaced by "***":
// libpq messages may quote the connection string, and the CLI prints them.
std::string redact_password(const std::string& text, const std::string& conninfo);

}  // namespace utxoiq::pg
