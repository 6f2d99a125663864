#pragma once
// Which PostgreSQL a command talks to: the server of DATABASE_URL, or — when none is given — the
// embedded cluster under the data directory, started here and stopped when the target is dropped.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "app/config.hpp"

namespace utxoiq::app {

class EmbeddedPostgres;

// The embedded server could not be started; what() carries the reason and the server log tail.
class EmbeddedStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DatabaseTarget {
 public:
  // Starts the embedded cluster when options.database_url is empty, unless another process
  // already runs it (then that server is used and left running). Throws EmbeddedStartError.
  explicit DatabaseTarget(const DatabaseOptions& options);
  ~DatabaseTarget();  // stops the embedded cluster, if this target started one
  DatabaseTarget(const DatabaseTarget&) = delete;
  DatabaseTarget& operator=(const DatabaseTarget&) = delete;

  const std::string& url() const { return url_; }
  bool embedded() const { return embedded_ != nullptr || !attached_dir_.empty(); }
  // For log lines: the URL without user and password, or "embedded (DIR)".
  std::string describe() const;
  // The embedded cluster's data dir and port (ours, or the running one we use), for its
  // replicas (embedded_replica_set.hpp); "" and 0 with a DATABASE_URL.
  std::string embedded_data_dir() const;
  int embedded_port() const;

 private:
  std::string url_;
  std::unique_ptr<EmbeddedPostgres> embedded_;
  std::string attached_dir_;  // the embedded cluster another process runs, when we use that one
  int attached_port_ = 0;
};

// For log lines: `url` with every credential gone, whatever its form. A URL (postgresql://,
// redis://, ...) keeps only scheme, host(s), port and path: the userinfo (up to the LAST '@'
// before the query, since passwords may hold '@', ':' and '/'), the query (password=, user=...)
// and the fragment go. A keyword conninfo string keeps only host, hostaddr, port and dbname.
// Anything it cannot read becomes "(unreadable connection string)".
std::string redact_url(std::string_view url);

// Absolute path of a sub-directory of the data directory ("var/postgres").
std::string data_subdir(const DatabaseOptions& options, const std::string& name);

}  // namespace utxoiq::app
