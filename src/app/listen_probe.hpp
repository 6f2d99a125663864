#pragma once
// Before `serve --workers N` spawns its workers: is the HTTP address free? The workers bind it
// with SO_REUSEPORT, and Linux lets any socket of the same user with SO_REUSEPORT share a port,
// so a second deployment started on the same port would silently split the first one's traffic.
// The probe binds WITHOUT SO_REUSEPORT (with SO_REUSEADDR, as the server does, so TIME_WAIT does
// not count), which fails while anything listens there; then the supervisor exits with
// kExitListenFailed and a clear message instead of starting workers that cannot serve.
#include <cstdint>
#include <string>

namespace utxoiq::app {

// Empty when host:port could be bound right now, else why not ("Address already in use").
std::string probe_listen_address(const std::string& host, std::uint16_t port);

}  // namespace utxoiq::app
