#pragma once
// The retention flags shared by `serve` and `retention`, and what they turn into: the periods of
// ops/retention_policy.hpp and the archive directory (default: the archive/ folder of the data
// directory, so it lives outside PostgreSQL's own data).
#include <filesystem>

#include "app/config.hpp"
#include "ops/retention_policy.hpp"

namespace CLI {
class App;
}

namespace utxoiq::app {

void add_retention_options(CLI::App& command, RetentionSettings& settings);

ops::RetentionPeriods retention_periods(const RetentionSettings& settings);
std::filesystem::path archive_dir(const RetentionSettings& settings, const DatabaseOptions& db);

}  // namespace utxoiq::app
