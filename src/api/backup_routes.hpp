#pragma once
// The backup endpoints (api.md, "Monitoring"), admin only:
//   POST /api/v1/monitoring/backup/run     take a backup now -> the backup (and what retention
//                                          deleted); 409 while a backup or verify runs
//   GET  /api/v1/monitoring/backup         {backups: [...]}, newest first
//   POST /api/v1/monitoring/backup/verify  {id?} test restore of that backup or the newest -> the
//                                          result; 404 unknown id, 409 while one runs
// The work itself runs off the event loop (app/backup_jobs); the handlers only await it.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/api_docs.hpp"
#include "ops/backup_engine.hpp"
#include "ops/backup_restore.hpp"
#include "util/task.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

struct BackupRoutesDeps {
  std::function<Task<ops::BackupRunResult>()> run;
  std::function<Task<ops::VerifyResult>(std::optional<std::string>)> verify;
  std::function<Task<std::vector<ops::BackupRecord>>()> list;
};

void add_backup_routes(http::Router& router, BackupRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
