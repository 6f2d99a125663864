// `utxoiq-store keys ...` (see keys_command.hpp): the key is made here (domain/api_key.hpp), its
// hash stored through store/api_key_admin.hpp on a blocking connection, like `migrate`.
#include "app/keys_command.hpp"

#include <cstdio>
#include <iostream>
#include <optional>

#include "app/command_failures.hpp"
#include "app/database_target.hpp"
#include "app/exit_codes.hpp"
#include "domain/api_key.hpp"
#include "domain/text_rule.hpp"
#include "pg/blocking_connection.hpp"
#include "store/api_key_admin.hpp"

namespace utxoiq::app {
namespace {

int create(const KeysArgs& args) {
  const auto role = domain::parse_api_key_role(args.role);
  if (!role) {
    std::cerr << "utxoiq-store: --role must be reader, writer or admin\n";
    return kExitUsage;
  }
  std::optional<std::string> name;
  if (!args.name.empty()) {
    if (const auto problem = domain::check_text(args.name, domain::kApiKeyNameRule)) {
      std::cerr << "utxoiq-store: --name " << *problem << "\n";
      return kExitUsage;
    }
    name = args.name;
  }
  const std::string key = domain::generate_api_key();
  DatabaseTarget target(args.database);
  pg::BlockingConnection connection(target.url());
  const auto record =
      store::insert_api_key(connection, new_uuid_v7(), domain::api_key_hash(key), *role, name);
  std::printf("id: %s\nrole: %s\nname: %s\nkey: %s\n", record.id.c_str(), record.role.c_str(),
              record.name.value_or("-").c_str(), key.c_str());
  std::fflush(stdout);  // the key before the advice, when both go to one terminal or file
  std::cerr << "Store the key now: it is shown only this once (only its hash is kept).\n";
  return kExitOk;
}

int list(const KeysArgs& args) {
  DatabaseTarget target(args.database);
  pg::BlockingConnection connection(target.url());
  const auto records = store::list_api_keys(connection);
  std::printf("%-36s  %-6s  %-8s  %-29s  %-29s  %s\n", "id", "role", "state", "created_at",
              "last_used_at", "name");
  for (const auto& r : records) {
    std::printf("%-36s  %-6s  %-8s  %-29s  %-29s  %s\n", r.id.c_str(), r.role.c_str(),
                r.revoked_at ? "revoked" : "active", r.created_at.c_str(),
                r.last_used_at.value_or("-").c_str(), r.name.value_or("-").c_str());
  }
  std::printf("%zu key(s)\n", records.size());
  return kExitOk;
}

int revoke(const KeysArgs& args) {
  const auto id = Uuid::parse(args.id);
  if (!id) {
    std::cerr << "utxoiq-store: ID must be a key id (a UUID, see `keys list`)\n";
    return kExitUsage;
  }
  DatabaseTarget target(args.database);
  pg::BlockingConnection connection(target.url());
  switch (store::revoke_api_key(connection, *id)) {
    case store::RevokeOutcome::revoked:
      std::printf("revoked %s\n", id->to_string().c_str());
      return kExitOk;
    case store::RevokeOutcome::already_revoked:
      std::printf("%s was already revoked\n", id->to_string().c_str());
      return kExitOk;
    case store::RevokeOutcome::not_found:
      std::cerr << "utxoiq-store: no API key with id " << id->to_string() << "\n";
      return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace

int run_keys(const KeysArgs& args) {
  return run_reporting_failures("keys " + args.action, kExitFailure, [&args] {
    if (args.action == "create") return create(args);
    if (args.action == "list") return list(args);
    if (args.action == "revoke") return revoke(args);
    std::cerr << "utxoiq-store: unknown keys action " << args.action << "\n";
    return static_cast<int>(kExitUsage);
  });
}

}  // namespace utxoiq::app
