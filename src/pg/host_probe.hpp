#pragma once
// Reads the facts host_classification.hpp decides on, from a live host: one round trip on an
// open connection, or a connect first. Never throws for the host's own failures: an unreachable
// host or a statement it refuses becomes HostFacts::error, so a bad host is excluded with a
// reason instead of stopping the service.
#include <boost/asio/any_io_executor.hpp>
#include <string>

#include "pg/connection.hpp"
#include "pg/host_classification.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {

// pg_is_in_recovery(), system_identifier and timeline of the host behind `connection`.
Task<HostFacts> read_host_facts(Connection& connection);

// Connects to `conninfo` with `options`, then read_host_facts.
Task<HostFacts> probe_host(boost::asio::any_io_executor executor, std::string conninfo,
                           ConnectOptions options = {});

}  // namespace utxoiq::pg
