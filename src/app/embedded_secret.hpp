#pragma once
// The passwords of the embedded servers (PostgreSQL's superuser, Redis) live in files of mode 0600
// in the server's data directory: the service's user and root can read them, no other local user
// can. A local user who reaches the loopback port therefore still cannot log in. A secret is made
// once and kept, so a running `serve` and a `keys` command started later agree on it.
#include <sys/types.h>

#include <optional>
#include <string>

namespace utxoiq::app {

struct FileOwner {
  uid_t uid;
  gid_t gid;
};

// The secret stored in `path`, or a new one (256 random bits, base64url) written there first.
// The file is (re)set to mode 0600 and, when given, to `owner`. Throws std::runtime_error.
std::string read_or_create_secret(const std::string& path, std::optional<FileOwner> owner);

// Writes `content` to `path` with mode 0600 (and `owner`), replacing the file atomically.
void write_private_file(const std::string& path, const std::string& content,
                        std::optional<FileOwner> owner);

// `text` with every byte outside RFC 3986's unreserved set percent-encoded (for a URL's query).
std::string percent_encode(const std::string& text);

}  // namespace utxoiq::app
