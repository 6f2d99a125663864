#pragma once
// Command-line entry point: parses flags (over environment, over defaults) and runs a command.

namespace utxoiq::app {

// Returns the process exit code (exit_codes.hpp).
int run_cli(int argc, char** argv);

}  // namespace utxoiq::app
