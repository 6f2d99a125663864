#pragma once
// A child process of ours (the embedded PostgreSQL and redis-server, initdb): started with an argv
// vector, optionally as another user, its output appended to a file, and tied to our life so that
// a killed service or test binary never leaves a server behind. We write it on fork/exec instead of
// Boost.Process because we need three things it does not give together: dropping to the `postgres`
// user, PR_SET_PDEATHSIG, and only async-signal-safe work between fork and exec. A child gets a
// clean environment (child_environment), never ours.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace utxoiq::app {

struct ChildOptions {
  std::vector<std::string> argv;  // argv[0] is the path of the executable (no PATH search)
  std::string run_as_user;        // empty: stay who we are; else setgid/setuid to this user
  std::string output_file;        // stdout and stderr appended here; empty: /dev/null
  std::string working_dir;        // empty: ours
  // Sent to the child when the thread that started it dies (PR_SET_PDEATHSIG). Servers that can
  // shut down by themselves on a signal (SIGQUIT for postgres) should get that one.
  int parent_death_signal = 9;  // SIGKILL
  // The child's whole environment beyond the few variables kept from ours (child_environment):
  // secrets of ours (the bootstrap admin key, DATABASE_URL, ...) never reach a child.
  std::vector<std::string> extra_environment;  // "NAME=value"
  // true: the child writes to our stdout and stderr (output_file unused), as the worker processes
  // of `serve --workers` do: their log lines belong where the supervisor's go.
  bool inherit_output = false;
};

class ChildProcess {
 public:
  // Forks (on a process-long thread of ours, see the .cpp) and execs; throws std::runtime_error
  // when the user is unknown, the output file cannot be opened or exec fails (the child reports
  // exec's errno back through a close-on-exec pipe).
  static ChildProcess spawn(const ChildOptions& options);

  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // A child still running is SIGKILLed and reaped: owners stop their servers gracefully first.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // True while the child has not exited (reaps it when it has).
  bool running();
  // Waits up to `timeout` for the exit; returns the waitpid status, or nullopt on timeout.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  // Sends `signal` if the child is still running.
  void signal(int signal);
  // The waitpid status once the child has exited.
  std::optional<int> exit_status() const { return status_; }

  // "exited with code 1" / "killed by signal 9", for error messages.
  static std::string describe_status(int status);

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  static ChildProcess spawn_on_this_thread(const ChildOptions& options);
  void reset();

  pid_t pid_ = -1;
  std::optional<int> status_;
};

// What a child's environment is: PATH, TZ, LANG and LC_* of ours (a server needs no more),
// then `extra` ("NAME=value").
std::vector<std::string> child_environment(const std::vector<std::string>& extra);

// The last `max_bytes` of what was written to `path` after byte `from_offset` (a log file's size
// before the child started), for error messages that show why a server did not come up.
std::string read_log_tail(const std::string& path, std::uintmax_t from_offset = 0,
                          std::size_t max_bytes = 4096);
// The size of `path`, 0 when it does not exist.
std::uintmax_t log_size(const std::string& path);

}  // namespace utxoiq::app
