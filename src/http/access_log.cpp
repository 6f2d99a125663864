// The access log line (see access_log.hpp).
#include "http/access_log.hpp"

#include <cmath>

#include "obs/logging.hpp"

namespace utxoiq::http {

void log_access(const Request& request, int status, double duration_ms, std::size_t bytes) {
  if (!obs::log_enabled(obs::LogLevel::info)) return;
  // Three decimals (microseconds) are all a reader needs.
  const double rounded = std::round(duration_ms * 1000.0) / 1000.0;
  obs::log_info("request", {{"request_id", request.request_id},
                            {"method", method_name(request.method)},
                            {"path", request.path},
                            {"route", request.route_name},
                            {"status", status},
                            {"duration_ms", rounded},
                            {"bytes", bytes},
                            {"remote", request.remote_address}});
}

}  // namespace utxoiq::http
