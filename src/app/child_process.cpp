// fork/exec of our server processes; see child_process.hpp for why it is our own code.
#include "app/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace utxoiq::app {
namespace {

// What the child tells the parent through the pipe when it fails before exec completes.
struct ChildFailure {
  int stage;  // index into kStageNames
  int error;  // errno
};
constexpr const char* kStageNames[] = {"dup2",   "chdir", "setgroups", "setgid",
                                       "setuid", "prctl", "execv"};

[[noreturn]] void fail_in_child(int pipe_fd, int stage) {
  ChildFailure failure{stage, errno};
  // Nothing to do if the write fails: the parent then sees an exit status 127 instead.
  [[maybe_unused]] auto ignored = write(pipe_fd, &failure, sizeof failure);
  _exit(127);
}

struct Credentials {
  uid_t uid;
  gid_t gid;
  std::vector<gid_t> groups;
};

// Looked up before fork: getpwnam and getgrouplist are not async-signal-safe.
Credentials lookup_user(const std::string& name) {
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    throw std::runtime_error("unknown system user '" + name + "'");
  }
  Credentials credentials{entry.pw_uid, entry.pw_gid, std::vector<gid_t>(64)};
  int count = static_cast<int>(credentials.groups.size());
  if (getgrouplist(name.c_str(), entry.pw_gid, credentials.groups.data(), &count) < 0) {
    credentials.groups.resize(count);
    getgrouplist(name.c_str(), entry.pw_gid, credentials.groups.data(), &count);
  }
  credentials.groups.resize(count);
  return credentials;
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(); }
  int get() const { return fd_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Runs in the forked child: only async-signal-safe calls from here to exec.
[[noreturn]] void exec_child(const std::vector<char*>& argv, char* const* envp, int in_fd,
                             int out_fd, const char* working_dir, const Credentials* credentials,
                             int death_signal, pid_t parent, int pipe_fd) {
  // Own process group: a Ctrl-C at the terminal goes to us, and we stop the server in order.
  setpgid(0, 0);
  // Signal dispositions set to ignore and the blocked mask survive exec; servers expect defaults.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &default_action, nullptr);
  }
  // out_fd < 0: stdout and stderr stay the parent's (ChildOptions::inherit_output).
  if (dup2(in_fd, 0) < 0 || (out_fd >= 0 && (dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0))) {
    fail_in_child(pipe_fd, 0);
  }
  // Descriptors of the parent (sockets, files) must not leak into a long-lived server.
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  if (working_dir && chdir(working_dir) != 0) fail_in_child(pipe_fd, 1);
  if (credentials) {
    if (setgroups(credentials->groups.size(), credentials->groups.data()) != 0) {
      fail_in_child(pipe_fd, 2);
    }
    if (setgid(credentials->gid) != 0) fail_in_child(pipe_fd, 3);
    if (setuid(credentials->uid) != 0) fail_in_child(pipe_fd, 4);
  }
  // After the credential change: changing uid/gid clears the parent-death signal.
  if (prctl(PR_SET_PDEATHSIG, death_signal) != 0) fail_in_child(pipe_fd, 5);
  // The parent may have died before prctl took effect; then nobody would ever stop us.
  if (getppid() != parent) _exit(127);
  execve(argv[0], argv.data(), envp);
  fail_in_child(pipe_fd, 6);
}

// PR_SET_PDEATHSIG fires when the *thread* that forked the child ends, not the process. Forking
// from one thread that lives as long as the process ties every child to the process, whichever
// thread asks (a test's worker thread, an Asio pool thread that may be joined early).
class SpawnerThread {
 public:
  static SpawnerThread& instance() {
    // Never destroyed, so static objects destroyed at exit can still spawn; a leaked but
    // reachable pointer is not reported by LeakSanitizer.
    static SpawnerThread* spawner = new SpawnerThread;
    return *spawner;
  }

  ChildProcess run(std::function<ChildProcess()> job) {
    auto promise = std::make_shared<std::promise<ChildProcess>>();
    std::future<ChildProcess> result = promise->get_future();
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back([job = std::move(job), promise] {
        try {
          promise->set_value(job());
        } catch (...) {
          promise->set_exception(std::current_exception());
        }
      });
    }
    wakeup_.notify_one();
    return result.get();
  }

 private:
  SpawnerThread() {
    std::thread([this] { serve(); }).detach();
  }

  [[noreturn]] void serve() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        wakeup_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<std::function<void()>> jobs_;
};

}  // namespace

ChildProcess ChildProcess::spawn(const ChildOptions& options) {
  return SpawnerThread::instance().run([&options] { return spawn_on_this_thread(options); });
}

ChildProcess ChildProcess::spawn_on_this_thread(const ChildOptions& options) {
  if (options.argv.empty()) throw std::invalid_argument("ChildProcess::spawn: empty argv");
  std::optional<Credentials> credentials;
  if (!options.run_as_user.empty()) credentials = lookup_user(options.run_as_user);

  const std::string out_path = options.output_file.empty() ? "/dev/null" : options.output_file;
  Fd out_fd(options.inherit_output
                ? -1
                : open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (!options.inherit_output && out_fd.get() < 0) {
    throw std::runtime_error("cannot open " + out_path + ": " + std::strerror(errno));
  }
  // The server writes its log after dropping privileges: let it own the file.
  if (credentials && !options.output_file.empty()) {
    [[maybe_unused]] int ignored = fchown(out_fd.get(), credentials->uid, credentials->gid);
  }
  Fd in_fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
  Fd read_end(pipe_fds[0]);
  Fd write_end(pipe_fds[1]);

  std::vector<char*> argv;
  for (const auto& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const char* working_dir = options.working_dir.empty() ? nullptr : options.working_dir.c_str();
  const std::vector<std::string> environment = child_environment(options.extra_environment);
  std::vector<char*> envp;
  for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    exec_child(argv, envp.data(), in_fd.get(), out_fd.get(), working_dir,
               credentials ? &*credentials : nullptr, options.parent_death_signal, parent,
               write_end.get());
  }
  ChildProcess child(pid);
  write_end.close();
  // exec closes the pipe (close-on-exec) without writing: EOF means the program is running.
  ChildFailure failure{};
  ssize_t got;
  do {
    got = read(read_end.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    child.wait_for(std::chrono::seconds(5));
    throw std::runtime_error("cannot start " + options.argv[0] + ": " + kStageNames[failure.stage] +
                             ": " + std::strerror(failure.error));
  }
  return child;
}

std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> kept;
  for (char** entry = environ; *entry; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    if (name == "PATH" || name == "TZ" || name == "LANG" || name.starts_with("LC_")) {
      kept.emplace_back(text);
    }
  }
  kept.insert(kept.end(), extra.begin(), extra.end());
  return kept;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), status_(std::exchange(other.status_, std::nullopt)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    reset();
    pid_ = std::exchange(other.pid_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  reset();
}

void ChildProcess::reset() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_for(std::chrono::seconds(10));
  }
  pid_ = -1;
  status_.reset();
}

bool ChildProcess::running() {
  if (pid_ <= 0 || status_) return false;
  int status = 0;
  pid_t result;
  do {
    result = waitpid(pid_, &status, WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == pid_) {
    status_ = status;
    return false;
  }
  // ECHILD: someone else reaped it (a SIGCHLD handler); it is gone all the same.
  if (result < 0) {
    status_ = -1;
    return false;
  }
  return true;
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  // Polling keeps this free of SIGCHLD handlers, which would clash with the host program's.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

void ChildProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::string ChildProcess::describe_status(int status) {
  if (status == -1) return "exited (reaped elsewhere)";
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended with status " + std::to_string(status);
}

std::uintmax_t log_size(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

std::string read_log_tail(const std::string& path, std::uintmax_t from_offset,
                          std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "(no log at " + path + ")";
  const std::uintmax_t size = log_size(path);
  std::uintmax_t start = std::min(from_offset, size);
  if (size - start > max_bytes) start = size - max_bytes;
  in.seekg(static_cast<std::streamoff>(start));
  std::string tail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return tail.empty() ? "(log " + path + " is empty)" : tail;
}

}  // namespace utxoiq::app
