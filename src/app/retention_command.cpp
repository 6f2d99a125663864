// See retention_command.hpp.
#include "app/retention_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "app/command_failures.hpp"
#include "app/database_target.hpp"
#include "app/exit_codes.hpp"
#include "app/retention_options.hpp"
#include "ops/directory_archive_sink.hpp"
#include "ops/retention.hpp"
#include "ops/retention_audit.hpp"
#include "ops/retention_restore.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::app {

namespace {

int run_now(const RetentionArgs& args) {
  DatabaseTarget target(args.database);
  ops::DirectoryArchiveSink sink(archive_dir(args.settings, args.database));
  ops::RetentionOptions options;
  options.periods = retention_periods(args.settings);
  options.dry_run = args.dry_run;
  options.trigger = "cli";
  try {
    const auto report = ops::run_retention(target.url(), sink, options);
    std::cout << boost::json::serialize(ops::run_json(report)) << "\n";
    return report.status == "succeeded" ? kExitOk : kExitFailure;
  } catch (const ops::RetentionBusy& busy) {
    std::cerr << "utxoiq-store: " << busy.what() << "\n";
    return kExitFailure;
  }
}

int list_runs(const RetentionArgs& args) {
  DatabaseTarget target(args.database);
  pg::BlockingConnection db(target.url());
  const auto page = ops::list_retention_runs(db, args.limit, std::nullopt);
  for (const auto& run : page.runs) std::cout << boost::json::serialize(run) << "\n";
  return kExitOk;
}

int restore(const RetentionArgs& args) {
  DatabaseTarget target(args.database);
  try {
    const auto report = ops::restore_archive(
        target.url(), args.archive,
        args.into.empty() ? std::nullopt : std::optional<std::string>(args.into));
    std::cout << "restored " << report.rows << " rows into " << report.table << " (sha256 "
              << report.sha256 << ")\n";
    return kExitOk;
  } catch (const ops::RestoreArgumentError& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace

CLI::App* add_retention_command(CLI::App& cli, RetentionArgs& args) {
  auto* retention = cli.add_subcommand("retention", "Archive, verify, then delete old rows");
  retention->require_subcommand(1);
  add_retention_options(*retention, args.settings);
  auto* run = retention->add_subcommand("run", "Run retention now (every policy)");
  run->fallthrough();
  run->add_flag("--dry-run", args.dry_run,
                "Count what would be archived and deleted; change nothing");
  run->callback([&args] { args.action = "run"; });
  auto* runs = retention->add_subcommand("runs", "Print the newest runs of the audit trail");
  runs->fallthrough();
  runs->add_option("--limit", args.limit, "How many runs")->check(CLI::Range(1, 1000));
  runs->callback([&args] { args.action = "runs"; });
  auto* restore = retention->add_subcommand("restore", "Load an archive back after checking it");
  restore->fallthrough();
  restore->add_option("ARCHIVE", args.archive, "The archive's .jsonl.zst (or .manifest.json)")
      ->required();
  restore->add_option("--into", args.into, "A scratch table (created like the archive's table)");
  restore->callback([&args] { args.action = "restore"; });
  return retention;
}

int run_retention_command(const RetentionArgs& args) {
  return run_reporting_failures("retention " + args.action, kExitFailure, [&args] {
    if (args.action == "run") return run_now(args);
    if (args.action == "runs") return list_runs(args);
    return restore(args);
  });
}

}  // namespace utxoiq::app
