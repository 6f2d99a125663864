#include "support/cli_runner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/http_client.hpp"

namespace utxoiq::testing {
namespace {

std::vector<std::string> env_argv(const std::vector<std::string>& args, const Environment& env) {
  std::vector<std::string> argv{"/usr/bin/env", "-i", "PATH=/usr/bin:/bin"};
  for (const auto& [name, value] : env) argv.push_back(name + "=" + value);
  argv.push_back(utxoiq_binary());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int exit_code_of(const std::optional<int>& status) {
  if (!status || !WIFEXITED(*status)) return -1;
  return WEXITSTATUS(*status);
}

std::string temp_log_path() {
  static std::atomic<int> counter{0};
  return (std::filesystem::temp_directory_path() /
          ("utxoiq-cli-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".log"))
      .string();
}

}  // namespace

std::string utxoiq_binary() {
  return UTXOIQ_BINARY;
}

CommandResult run_utxoiq(const std::vector<std::string>& args, const Environment& env,
                         std::chrono::seconds timeout) {
  const std::string log = temp_log_path();
  app::ChildOptions options;
  options.argv = env_argv(args, env);
  options.output_file = log;
  auto process = app::ChildProcess::spawn(options);
  const auto status = process.wait_for(timeout);
  if (!status) process.signal(SIGKILL);
  CommandResult result{exit_code_of(status), read_file(log)};
  std::filesystem::remove(log);
  return result;
}

RunningCommand::RunningCommand(const std::vector<std::string>& args, const Environment& env,
                               std::string log_file)
    : log_file_(std::move(log_file)) {
  app::ChildOptions options;
  options.argv = env_argv(args, env);
  options.output_file = log_file_;
  process_ = app::ChildProcess::spawn(options);
}

int RunningCommand::terminate(std::chrono::seconds timeout) {
  process_.signal(SIGTERM);
  const auto status = process_.wait_for(timeout);
  if (!status) {
    process_.signal(SIGKILL);
    process_.wait_for(std::chrono::seconds(10));
  }
  return exit_code_of(status);
}

std::string RunningCommand::output() const {
  return read_file(log_file_);
}

bool wait_until_ready(std::uint16_t port, std::chrono::seconds limit, RunningCommand& process) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline && process.running()) {
    try {
      HttpClient client(port);
      if (client.get("/readyz").status == 200) return true;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace utxoiq::testing
