// Role names (see principal.hpp).
#include "http/principal.hpp"

namespace utxoiq::http {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::reader:
      return "reader";
    case Role::writer:
      return "writer";
    case Role::admin:
      return "admin";
  }
  return "reader";
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "reader") return Role::reader;
  if (name == "writer") return Role::writer;
  if (name == "admin") return Role::admin;
  return std::nullopt;
}

}  // namespace utxoiq::http
