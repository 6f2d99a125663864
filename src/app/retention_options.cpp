// See retention_options.hpp.
#include "app/retention_options.hpp"

#include <CLI/CLI.hpp>

#include "ops/daily_schedule.hpp"

namespace utxoiq::app {

void add_retention_options(CLI::App& command, RetentionSettings& s) {
  const std::pair<const char*, int*> periods[] = {
      {"BACKFILL_RETENTION_DAYS", &s.backfill_days},
      {"FEEDBACK_RETENTION_DAYS", &s.feedback_days},
      {"METRICS_RETENTION_DAYS", &s.metrics_days},
      {"METRICS_COLD_RETENTION_DAYS", &s.metrics_cold_days},
  };
  const char* flags[] = {"--backfill-retention-days", "--feedback-retention-days",
                         "--metrics-retention-days", "--metrics-cold-retention-days"};
  for (std::size_t i = 0; i < std::size(periods); ++i) {
    command
        .add_option(flags[i], *periods[i].second,
                    std::string("Days kept (") + periods[i].first + ")")
        ->envname(periods[i].first)
        ->check(CLI::Range(1, 100'000))
        ->capture_default_str();
  }
  command
      .add_option("--archive-dir", s.archive_dir,
                  "Directory of the retention archives (default: DATA_DIR/archive)")
      ->envname("UTXOIQ_ARCHIVE_DIR");
  command.add_option("--retention-time", s.time, "UTC time of day of the daily retention run")
      ->envname("UTXOIQ_RETENTION_TIME")
      ->check([](const std::string& text) {
        return ops::parse_time_of_day(text) ? std::string() : std::string("must be HH:MM (UTC)");
      })
      ->capture_default_str();
}

ops::RetentionPeriods retention_periods(const RetentionSettings& s) {
  return {s.backfill_days, s.feedback_days, s.metrics_days, s.metrics_cold_days};
}

std::filesystem::path archive_dir(const RetentionSettings& settings, const DatabaseOptions& db) {
  if (!settings.archive_dir.empty()) return settings.archive_dir;
  return std::filesystem::path(db.data_dir) / "archive";
}

}  // namespace utxoiq::app
