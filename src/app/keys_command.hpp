#pragma once
// `utxoiq-store keys create --role R [--name N] | list | revoke ID`: API keys for the service
// (api.md, "Authentication and roles"). `create` prints the new key once — only its SHA-256 is
// stored, so it cannot be shown again; a running service accepts it within seconds.
#include <string>

#include "app/config.hpp"

namespace utxoiq::app {

struct KeysArgs {
  DatabaseOptions database;
  std::string action;  // create | list | revoke
  std::string role;    // for create: reader | writer | admin
  std::string name;    // for create, optional
  std::string id;      // for revoke
};

int run_keys(const KeysArgs& args);

}  // namespace utxoiq::app
