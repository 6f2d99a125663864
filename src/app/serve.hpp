#pragma once
// `utxoiq-store serve`: the HTTP service with its pools, embedded servers and scheduler.
#include "app/config.hpp"

namespace utxoiq::app {

// Runs until SIGINT/SIGTERM; returns the exit code.
int run_serve(const ServeConfig& config);

}  // namespace utxoiq::app
