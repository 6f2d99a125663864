#pragma once
// Who is calling: the API key's id and role, filled in by the auth middleware (api/app layer) and
// read by handlers (e.g. created_by) and the rate limiter. Roles are ordered: each one includes
// the ones before it (api.md, "Authentication and roles").
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq::http {

enum class Role { reader = 0, writer = 1, admin = 2 };

// "reader", "writer", "admin".
std::string_view role_name(Role role);
// The inverse of role_name; nullopt for anything else (exact, lower case).
std::optional<Role> parse_role(std::string_view name);
// True when a caller with `have` may do what needs `need`.
constexpr bool role_allows(Role have, Role need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

struct Principal {
  std::string key_id;
  Role role = Role::reader;
};

}  // namespace utxoiq::http
