#pragma once
// How the commands that talk to a database (migrate, keys, partitions) turn a failure into one
// line on stderr and the exit code of README's table, the same way for all of them:
//   embedded PostgreSQL did not start -> 6; the server could not be reached -> 3;
//   a bad value -> 2; a statement failed, or anything else -> `failure_code`.
#include <functional>
#include <string>

namespace utxoiq::app {

// Runs `action` and returns its exit code, or the code of what it threw.
int run_reporting_failures(const std::string& what, int failure_code,
                           const std::function<int()>& action);

}  // namespace utxoiq::app
