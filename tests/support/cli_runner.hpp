#pragma once
// Runs the real utxoiq-store binary for tests of the command line: exit codes, --help, errors,
// and `serve` as a user starts it. The binary's path comes from the build (UTXOIQ_BINARY).
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/child_process.hpp"

namespace utxoiq::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when it did not exit by itself (timeout, signal)
  std::string output;  // stdout and stderr together
};

using Environment = std::vector<std::pair<std::string, std::string>>;

// The path of the utxoiq-store binary under test.
std::string utxoiq_binary();

// Runs `utxoiq-store args...` with `env` added to a clean environment (PATH only, so a
// DATABASE_URL of the caller's shell cannot leak in), waits at most `timeout`.
CommandResult run_utxoiq(const std::vector<std::string>& args, const Environment& env = {},
                         std::chrono::seconds timeout = std::chrono::seconds(120));

// A `utxoiq-store ...` left running (serve); its output goes to `log_file`.
class RunningCommand {
 public:
  RunningCommand(const std::vector<std::string>& args, const Environment& env,
                 std::string log_file);
  // SIGTERM then waits for the exit; returns the exit code (-1 when killed after `timeout`).
  int terminate(std::chrono::seconds timeout = std::chrono::seconds(60));
  bool running() { return process_.running(); }
  std::string output() const;

 private:
  app::ChildProcess process_;
  std::string log_file_;
};

// Polls GET /readyz on 127.0.0.1:port until it answers 200 (true), the process exits or `limit`
// passes (false).
bool wait_until_ready(std::uint16_t port, std::chrono::seconds limit, RunningCommand& process);

}  // namespace utxoiq::testing
