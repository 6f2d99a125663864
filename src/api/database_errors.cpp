#include "api/database_errors.hpp"

#include "pg/errors.hpp"

namespace utxoiq::api {

std::optional<http::Problem> map_database_error(const std::exception& error) {
  const auto* pg_error = dynamic_cast<const pg::Error*>(&error);
  if (!pg_error) return std::nullopt;
  switch (pg_error->kind()) {
    case pg::ErrorKind::kConnection:
      return http::service_unavailable(2, "The database is not available right now.");
    case pg::ErrorKind::kAcquireTimeout:
      return http::service_unavailable(1, "The service is busy; try again shortly.");
    case pg::ErrorKind::kCircuitOpen:
      // Refused without trying: the database failed repeatedly; the breaker lets a probe through
      // after Retry-After.
      return http::service_unavailable(
          static_cast<const pg::CircuitOpen&>(*pg_error).retry_after_s(),
          "The database is not available right now.");
    case pg::ErrorKind::kQuery: {
      const auto& query = static_cast<const pg::QueryError&>(*pg_error);
      if (query.is_query_canceled() || pg::is_connection_sqlstate(query.sqlstate())) {
        return http::service_unavailable(2, "The database did not answer in time.");
      }
      return std::nullopt;  // a bug of ours: 500, logged
    }
    default:
      return std::nullopt;
  }
}

}  // namespace utxoiq::api
