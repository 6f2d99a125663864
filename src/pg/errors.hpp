#pragma once
// Errors of the PostgreSQL layer. The kind tells callers what to do: ConnectionError and
// AcquireTimeout mean "the database is not available right now" (the HTTP layer answers 503),
// QueryError carries the server's SQLSTATE so repositories can map e.g. unique violations.
// Messages never contain the conninfo (passwords) nor the parameter values we send, so they are
// safe to log (the server's primary message may quote an input it could not parse, e.g. invalid
// input syntax); they are never shown to HTTP clients.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace utxoiq::pg {

enum class ErrorKind {
  kConnection,      // server unreachable, connection lost or timed out
  kQuery,           // the server rejected a statement (SQLSTATE available)
  kAcquireTimeout,  // the pool had no connection to give within acquire_timeout
  kDecode,          // a result value could not be read as the asked type (NULL, bad number)
  kUsage,           // the layer was used wrongly (e.g. a connection awaited by two coroutines)
  kCircuitOpen,     // the pool's circuit breaker is open: refused at once, nothing was sent
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

class ConnectionError : public Error {
 public:
  explicit ConnectionError(const std::string& message) : Error(ErrorKind::kConnection, message) {}
};

class AcquireTimeout : public Error {
 public:
  explicit AcquireTimeout(const std::string& message)
      : Error(ErrorKind::kAcquireTimeout, message) {}
};

// The host failed too often lately (PoolOptions::breaker): refused without trying, so a request
// fails in microseconds instead of waiting out connect and acquire timeouts. retry_after: whole
// seconds until the breaker lets a probe through (for Retry-After).
class CircuitOpen : public Error {
 public:
  CircuitOpen(const std::string& message, long long retry_after_s)
      : Error(ErrorKind::kCircuitOpen, message), retry_after_s_(retry_after_s) {}
  long long retry_after_s() const noexcept { return retry_after_s_; }

 private:
  long long retry_after_s_;
};

class DecodeError : public Error {
 public:
  explicit DecodeError(const std::string& message) : Error(ErrorKind::kDecode, message) {}
};

class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ErrorKind::kUsage, message) {}
};

// SQLSTATE codes the service reacts to (https://www.postgresql.org/docs/15/errcodes-appendix.html).
namespace sqlstate {
inline constexpr std::string_view kQueryCanceled = "57014";  // also statement_timeout
inline constexpr std::string_view kAdminShutdown = "57P01";
inline constexpr std::string_view kCrashShutdown = "57P02";
inline constexpr std::string_view kCannotConnectNow = "57P03";
inline constexpr std::string_view kFeatureNotSupported = "0A000";
}  // namespace sqlstate

class QueryError : public Error {
 public:
  struct Fields {
    std::string sqlstate{};    // five characters, e.g. "23505"
    std::string message{};     // the server's primary message
    std::string detail{};      // may contain row values: not part of what()
    std::string constraint{};  // constraint name for integrity violations, else empty
    std::optional<std::size_t> statement_index{};  // which statement of a pipeline failed
  };

  explicit QueryError(Fields fields);

  const std::string& sqlstate() const noexcept { return fields_.sqlstate; }
  const std::string& server_message() const noexcept { return fields_.message; }
  // DETAIL of the server; it can contain user data, so log it only where that is acceptable.
  const std::string& detail() const noexcept { return fields_.detail; }
  const std::string& constraint() const noexcept { return fields_.constraint; }
  std::optional<std::size_t> statement_index() const noexcept { return fields_.statement_index; }

  bool is_query_canceled() const noexcept { return sqlstate() == sqlstate::kQueryCanceled; }

 private:
  Fields fields_;
};

// True for SQLSTATEs that mean the session is gone rather than that one statement failed
// (class 08 connection exception, 57P01..57P03 server shutting down / starting up).
bool is_connection_sqlstate(std::string_view sqlstate) noexcept;

}  // namespace utxoiq::pg
