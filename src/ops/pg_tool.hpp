#pragma once
// Runs PostgreSQL's client programs (pg_dump, pg_restore) against a server given by a connection
// string. The program comes from the bin directory of the server's own major version
// (/usr/lib/postgresql/<major>/bin, where Debian's postgresql-<major> puts it), because pg_dump
// refuses a newer server and an older pg_restore cannot read a newer archive. A password is never
// put on the command line, where `ps` shows it to every user: the child gets the connection
// string without it and the password in its environment (PGPASSWORD), which only the same user
// can read. Blocking: run it off the event loop.
#include <string>
#include <vector>

namespace utxoiq::ops {

// `conninfo` (URI or keyword form) with `dbname` replaced (when not empty) and the password
// removed, as libpq keyword=value text.
std::string conninfo_without_password(const std::string& conninfo, const std::string& dbname = {});
// `conninfo` with `dbname` replaced, password kept: for our own connections to another database.
std::string conninfo_with_database(const std::string& conninfo, const std::string& dbname);
// The password `conninfo` carries, or "" when it has none.
std::string conninfo_password(const std::string& conninfo);

// The directory holding the client programs for a server whose server_version_num is given:
// `override_dir` when not empty, else /usr/lib/postgresql/<major>/bin. Throws std::runtime_error
// naming the package to install when `program` is not there.
std::string pg_program_path(const std::string& program, int server_version_num,
                            const std::string& override_dir = {});

// Runs `program args...` with the password of `conninfo` in PGPASSWORD and waits for it. Throws
// std::runtime_error with the exit status and the tail of its stderr when it does not exit 0.
void run_pg_program(const std::string& program, const std::vector<std::string>& args,
                    const std::string& conninfo);

}  // namespace utxoiq::ops
