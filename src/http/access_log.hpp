#pragma once
// The access log: one JSON line per request, at info level.
#include <cstddef>

#include "http/request.hpp"

namespace utxoiq::http {

// {"ts","level":"info","msg":"request","request_id","method","path","route","status",
//  "duration_ms","bytes","remote"} — bytes is the response body's size.
void log_access(const Request& request, int status, double duration_ms, std::size_t bytes);

}  // namespace utxoiq::http
