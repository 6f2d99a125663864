#pragma once
// The directory of the workers' metrics sockets (`serve --workers N`, worker_metrics_exchange.hpp),
// made by the supervisor before its workers start. Mode 0700 and owned by us: a socket in it
// answers any process that can reach it, and only the service's own user may read its figures or
// put a socket of its own in their place.
#include <cstdint>
#include <string>

namespace utxoiq::app {

// The socket of worker `index` in `dir`.
std::string worker_metrics_socket_path(const std::string& dir, int index);

// `<data_dir>/run/metrics-<port>` (absolute) created with mode 0700, or an existing one of ours
// set to 0700; its stale sockets removed. The port in the name keeps two services of one data
// directory (tests do that) out of each other's sockets: two cannot listen on one port. When a
// socket path under it would exceed what sockaddr_un holds, a fresh private directory under the
// temporary directory (mkdtemp) instead. Throws std::runtime_error when neither can be made safely
// (a symlink, another owner).
std::string make_worker_metrics_dir(const std::string& data_dir, std::uint16_t port, int count);

}  // namespace utxoiq::app
