// One connection per CLI operation (see migrations.hpp).
#include "ops/migrations.hpp"

#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

MigrationReport migrate_up(const std::string& conninfo, const MigrationSet& set) {
  pg::BlockingConnection connection(conninfo);
  return Migrator(connection, set).up();
}

MigrationReport migrate_down(const std::string& conninfo, const MigrationSet& set) {
  pg::BlockingConnection connection(conninfo);
  return Migrator(connection, set).down();
}

MigrationStatusReport migration_status(const std::string& conninfo, const MigrationSet& set) {
  pg::BlockingConnection connection(conninfo);
  return Migrator(connection, set).status();
}

std::vector<VerifyIssue> verify_migrations(const std::string& conninfo, const MigrationSet& set) {
  pg::BlockingConnection connection(conninfo);
  return Migrator(connection, set).verify();
}

}  // namespace utxoiq::ops
