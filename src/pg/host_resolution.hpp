#pragma once
// Host names resolved without blocking the event loop. libpq resolves `host` with a blocking
// getaddrinfo() inside PQconnectStart, which would stall every HTTP request on the one I/O thread
// while DNS is slow. So names are resolved first with Asio's resolver (which runs getaddrinfo off
// the event loop) and handed to libpq as `hostaddr`, keeping `host` for TLS verification and
// .pgpass. A name with several addresses becomes several host entries, so libpq still tries
// them in turn, as it would have.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "pg/conninfo.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {

struct HostEntry {
  std::string host;      // name, IP literal, socket directory, or "" (libpq's default)
  std::string port;      // "" = default
  std::string hostaddr;  // numeric address, "" = let libpq use `host`
};

// The comma-separated host/hostaddr/port lists as one entry per host (a single port applies to
// all). Empty when no host is given (libpq then uses its default Unix socket).
std::vector<HostEntry> host_entries(const ConnectParams& params);
// Writes entries back as host/hostaddr/port lists, replacing the old ones.
void set_host_entries(ConnectParams& params, const std::vector<HostEntry>& entries);
// The hosts as an operator names them, for monitoring: "host:port" per entry, comma-separated
// (the address when no name is given, libpq's default port 5432 when none is; a socket directory
// stays a path). "default socket" when no host is given. Never user, password or options.
std::string host_label(const ConnectParams& params);
// True for an entry libpq would have to look up in DNS: a name without hostaddr.
bool needs_lookup(const HostEntry& entry);

// Resolves every entry that needs_lookup() asynchronously and rewrites `params` with the
// addresses as hostaddr. Names that do not resolve are dropped; ConnectionError when nothing is
// left or `deadline` passes.
Task<void> resolve_host_names(boost::asio::any_io_executor executor, ConnectParams& params,
                              std::chrono::steady_clock::time_point deadline);

}  // namespace utxoiq::pg
