// `utxoiq-store migrate ...`: runs one operation of ops/migrations and prints its report.
#include "app/migrate_command.hpp"

#include <cstdio>
#include <iostream>

#include "app/command_failures.hpp"
#include "app/database_target.hpp"
#include "app/exit_codes.hpp"
#include "ops/migrations.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::app {
namespace {

ops::MigrationSet load_set(const MigrateArgs& args) {
  return args.migrations_dir.empty() ? ops::MigrationSet::embedded()
                                     : ops::MigrationSet::from_directory(args.migrations_dir);
}

void print_steps(const ops::MigrationReport& report, const char* verb) {
  if (report.steps.empty()) {
    std::printf("nothing to do: schema at version %d\n", report.version_after);
    return;
  }
  for (const auto& step : report.steps) {
    std::printf("%s %04d %s (%lld ms)\n", verb, step.version, step.name.c_str(),
                static_cast<long long>(step.execution_ms));
  }
  std::printf("schema at version %d (was %d)\n", report.version_after, report.version_before);
}

int print_status(const ops::MigrationStatusReport& status) {
  std::printf("%-8s %-32s %-9s %-28s %s\n", "version", "name", "state", "applied_at", "ms");
  for (const auto& m : status.migrations) {
    const char* state = !m.applied ? "pending" : (m.checksum_ok ? "applied" : "CHANGED");
    std::printf("%04d     %-32s %-9s %-28s %s\n", m.version, m.name.c_str(), state,
                m.applied_at.value_or("-").c_str(),
                m.execution_ms ? std::to_string(*m.execution_ms).c_str() : "-");
  }
  for (const auto& m : status.unknown_applied) {
    std::printf("%04d     %-32s %-9s %-28s %lld\n", m.version, m.name.c_str(), "UNKNOWN",
                m.applied_at.c_str(), static_cast<long long>(m.execution_ms));
  }
  std::printf("current version %d, %d pending\n", status.current_version, status.pending_count());
  return kExitOk;
}

int print_verify(const std::vector<ops::VerifyIssue>& issues) {
  for (const auto& issue : issues) {
    if (issue.problem == ops::VerifyProblem::kMissingFile) {
      std::printf("%04d %s: applied, but this binary has no such migration\n", issue.version,
                  issue.name.c_str());
    } else {
      std::printf("%04d %s: file changed since it was applied (recorded %s, file %s)\n",
                  issue.version, issue.name.c_str(), issue.recorded_checksum.c_str(),
                  issue.file_checksum.c_str());
    }
  }
  if (issues.empty()) std::printf("ok: every applied migration matches its file\n");
  return issues.empty() ? kExitOk : kExitMigrationFailed;
}

int run_action(const MigrateArgs& args) {
  if (args.action == "create") {
    const auto dir = args.migrations_dir.empty() ? std::string("migrations") : args.migrations_dir;
    const auto created = ops::create_migration(dir, args.name);
    std::printf("created %s\ncreated %s\n", created.up_path.c_str(), created.down_path.c_str());
    return kExitOk;
  }
  const auto set = load_set(args);
  DatabaseTarget target(args.database);
  if (args.action == "status") return print_status(ops::migration_status(target.url(), set));
  if (args.action == "verify") return print_verify(ops::verify_migrations(target.url(), set));
  if (args.action == "up") {
    print_steps(ops::migrate_up(target.url(), set), "applied");
    return kExitOk;
  }
  if (args.action == "down") {
    print_steps(ops::migrate_down(target.url(), set), "rolled back");
    return kExitOk;
  }
  std::cerr << "utxoiq-store: unknown migrate action " << args.action << "\n";
  return kExitUsage;
}

}  // namespace

int run_migrate(const MigrateArgs& args) {
  return run_reporting_failures("migrate " + args.action, kExitMigrationFailed,
                                [&args] { return run_action(args); });
}

}  // namespace utxoiq::app
