// `utxoiq-store backup ...` (see backup_command.hpp), through run_reporting_failures like the other
// database commands.
#include "app/backup_command.hpp"

#include <cstdio>
#include <iostream>

#include "app/command_failures.hpp"
#include "app/database_target.hpp"
#include "app/exit_codes.hpp"
#include "ops/backup_restore.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::app {
namespace {

std::string text_or_dash(const std::optional<std::string>& text) {
  return text.value_or("-");
}

int run(const ops::BackupSettings& settings) {
  const auto result = ops::run_backup(settings);
  const auto& r = result.record;
  std::printf("backup %s taken\nfile: %s\nmirror: %s\nbytes: %lld\nsha256: %s\n", r.id.c_str(),
              text_or_dash(r.location).c_str(), text_or_dash(r.mirror_location).c_str(),
              static_cast<long long>(r.bytes.value_or(0)), text_or_dash(r.sha256).c_str());
  for (const auto& id : result.deleted) std::printf("deleted by retention: %s\n", id.c_str());
  if (result.retention_error) {
    std::cerr << "utxoiq-store: retention failed: " << *result.retention_error << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

int list(const ops::BackupSettings& settings) {
  const auto records = ops::list_backups(settings);
  std::printf("%-36s  %-6s  %-9s  %-27s  %12s  %-8s  %s\n", "id", "kind", "status", "started_at",
              "bytes", "verify", "file");
  for (const auto& r : records) {
    std::printf("%-36s  %-6s  %-9s  %-27s  %12lld  %-8s  %s\n", r.id.c_str(), r.kind.c_str(),
                r.status.c_str(), format_rfc3339(r.started_at).c_str(),
                static_cast<long long>(r.bytes.value_or(0)), text_or_dash(r.verify_result).c_str(),
                text_or_dash(r.error ? r.error : r.location).c_str());
  }
  std::printf("%zu backup(s)\n", records.size());
  return kExitOk;
}

int verify(const ops::BackupSettings& settings, const std::string& id) {
  const auto result =
      ops::verify_backup(settings, id.empty() ? std::nullopt : std::optional<std::string>(id));
  std::printf("backup %s: verify %s (restore %lld ms)\n", result.record.id.c_str(),
              result.passed ? "passed" : "FAILED", static_cast<long long>(result.restore_ms));
  for (const auto& problem : result.problems) std::printf("  %s\n", problem.c_str());
  return result.passed ? kExitOk : kExitFailure;
}

int restore(const ops::BackupSettings& settings, const BackupArgs& args) {
  const auto result = ops::restore_backup(settings, {args.id, args.target, args.force});
  std::printf("restored backup %s (taken %s) into database %s\n", result.record.id.c_str(),
              format_rfc3339(result.record.started_at).c_str(), args.target.c_str());
  for (const auto& t : result.tables) {
    std::printf("  %-40s %lld rows\n", t.table.c_str(), static_cast<long long>(t.rows));
  }
  for (const auto& d : result.differences) std::printf("  DIFFERS: %s\n", d.c_str());
  return result.differences.empty() ? kExitOk : kExitFailure;
}

int dispatch(const BackupArgs& args) {
  DatabaseTarget target(args.database);
  const auto settings = backup_settings(args.database, args.backup, target.url());
  try {
    if (args.action == "run") return run(settings);
    if (args.action == "list") return list(settings);
    if (args.action == "verify") return verify(settings, args.id);
    if (args.action == "restore") return restore(settings, args);
  } catch (const ops::BackupBusy& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitFailure;
  } catch (const ops::BackupNotFound& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitFailure;
  } catch (const ops::BackupFailure& e) {
    std::cerr << "utxoiq-store: backup " << e.stage() << " failed: " << e.what() << "\n";
    return kExitFailure;
  }
  std::cerr << "utxoiq-store: unknown backup action " << args.action << "\n";
  return kExitUsage;
}

}  // namespace

ops::BackupSettings backup_settings(const DatabaseOptions& database, const BackupConfig& backup,
                                    const std::string& database_url) {
  ops::BackupSettings settings;
  settings.database_url = database_url;
  settings.backup_dir = backup.dir.empty() ? data_subdir(database, "backups") : backup.dir;
  settings.mirror_dir = backup.mirror_dir;
  return settings;
}

int run_backup_command(const BackupArgs& args) {
  return run_reporting_failures("backup " + args.action, kExitFailure,
                                [&args] { return dispatch(args); });
}

}  // namespace utxoiq::app
