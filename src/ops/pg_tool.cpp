// pg_dump/pg_restore as child processes (see pg_tool.hpp): posix_spawn with stdout to /dev/null,
// stderr to a temporary file read back for the error message, and an environment of our own.
#include "ops/pg_tool.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace utxoiq::ops {
namespace {

namespace fs = std::filesystem;

std::string quote_value(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

struct ParsedConninfo {
  std::vector<std::pair<std::string, std::string>> options;
};

ParsedConninfo parse(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    if (error != nullptr) PQfreemem(error);
    throw std::invalid_argument("invalid database URL: " + message);
  }
  ParsedConninfo parsed;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') parsed.options.emplace_back(o->keyword, o->val);
  }
  PQconninfoFree(options);
  return parsed;
}

std::string read_tail(const std::string& path, std::size_t max_bytes = 2000) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > max_bytes) text = text.substr(text.size() - max_bytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Our environment without the PG* variables a caller's shell may carry (they would override the
// connection string's settings), plus PGPASSWORD when there is a password.
std::vector<std::string> child_environment(const std::string& password) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.starts_with("PGPASSWORD=") || entry.starts_with("PGDATABASE=") ||
        entry.starts_with("PGSERVICE=")) {
      continue;
    }
    env.emplace_back(entry);
  }
  if (!password.empty()) env.push_back("PGPASSWORD=" + password);
  return env;
}

int spawn_and_wait(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                   const std::string& stderr_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int spawned =
      posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(spawned));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid: " + std::string(std::strerror(errno)));
  }
  return status;
}

// libpq keyword=value text of `conninfo`, with dbname replaced when `dbname` is not empty.
std::string rewrite(const std::string& conninfo, const std::string& dbname, bool keep_password) {
  std::string out;
  const auto append = [&out](const std::string& key, const std::string& value) {
    out += (out.empty() ? "" : " ") + key + "=" + quote_value(value);
  };
  bool has_dbname = false;
  for (const auto& [key, value] : parse(conninfo).options) {
    if (key == "password" && !keep_password) continue;
    if (key == "dbname") has_dbname = true;
    append(key, key == "dbname" && !dbname.empty() ? dbname : value);
  }
  if (!has_dbname && !dbname.empty()) append("dbname", dbname);
  return out;
}

}  // namespace

std::string conninfo_without_password(const std::string& conninfo, const std::string& dbname) {
  return rewrite(conninfo, dbname, false);
}

std::string conninfo_with_database(const std::string& conninfo, const std::string& dbname) {
  return rewrite(conninfo, dbname, true);
}

std::string conninfo_password(const std::string& conninfo) {
  for (const auto& [key, value] : parse(conninfo).options) {
    if (key == "password") return value;
  }
  return {};
}

std::string pg_program_path(const std::string& program, int server_version_num,
                            const std::string& override_dir) {
  const int major = server_version_num / 10000;
  const std::string dir =
      override_dir.empty() ? "/usr/lib/postgresql/" + std::to_string(major) + "/bin" : override_dir;
  const std::string path = dir + "/" + program;
  if (access(path.c_str(), X_OK) != 0) {
    throw std::runtime_error(program + " for PostgreSQL " + std::to_string(major) +
                             " is not installed at " + path +
                             " (Debian package postgresql-client-" + std::to_string(major) + ")");
  }
  return path;
}

void run_pg_program(const std::string& program, const std::vector<std::string>& args,
                    const std::string& conninfo) {
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  char stderr_template[] = "/tmp/utxoiq-pgtool-XXXXXX";
  const int fd = mkstemp(stderr_template);
  if (fd < 0) throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
  close(fd);
  const std::string stderr_path = stderr_template;
  int status = 0;
  try {
    status = spawn_and_wait(argv, child_environment(conninfo_password(conninfo)), stderr_path);
  } catch (...) {
    fs::remove(stderr_path);
    throw;
  }
  const std::string output = read_tail(stderr_path);
  fs::remove(stderr_path);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const std::string how = WIFEXITED(status)
                              ? "exited with code " + std::to_string(WEXITSTATUS(status))
                              : "was killed by signal " + std::to_string(WTERMSIG(status));
  throw std::runtime_error(fs::path(program).filename().string() + " " + how +
                           (output.empty() ? "" : ": " + output));
}

}  // namespace utxoiq::ops
