#pragma once
// Loopback TCP ports for the embedded servers: pick a free one, check that a remembered one is
// still free, and remember the choice in a small file so a restarted service keeps its port.
#include <string>

namespace utxoiq::app {

// A port the kernel reports free on 127.0.0.1 right now (bind to port 0). Another process may
// still take it before our server binds; the window is short and a failed start says so.
int pick_free_loopback_port();

// True when 127.0.0.1:port can be bound now. Uses SO_REUSEADDR like postgres and redis do, so a
// port left in TIME_WAIT by our own previous run counts as free.
bool loopback_port_is_free(int port);

// The port stored in `path`, or 0 when the file is missing or unreadable.
int read_port_file(const std::string& path);
// Stores `port` in `path` (replaced atomically); failures are ignored: it is only a preference.
void write_port_file(const std::string& path, int port);

// `requested` when non-zero, else the remembered port in `path` when still free, else a new one.
int choose_port(int requested, const std::string& path);

}  // namespace utxoiq::app
