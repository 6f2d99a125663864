// Secret files of the embedded servers; see embedded_secret.hpp.
#include "app/embedded_secret.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/base64url.hpp"
#include "util/secure_random.hpp"

namespace utxoiq::app {

void write_private_file(const std::string& path, const std::string& content,
                        std::optional<FileOwner> owner) {
  const std::string partial = path + ".new";
  ::unlink(partial.c_str());
  // O_EXCL + 0600 at creation: the content is never readable by others, not even for a moment.
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + partial + ": " + std::strerror(errno));
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  const bool owned = !owner || ::fchown(fd, owner->uid, owner->gid) == 0;
  ::close(fd);
  if (!written || !owned || std::rename(partial.c_str(), path.c_str()) != 0) {
    ::unlink(partial.c_str());
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  }
}

std::string read_or_create_secret(const std::string& path, std::optional<FileOwner> owner) {
  std::ifstream in(path);
  std::string secret;
  if (in && std::getline(in, secret) && secret.size() >= 32) {
    if (::chmod(path.c_str(), 0600) != 0 ||
        (owner && ::chown(path.c_str(), owner->uid, owner->gid) != 0)) {
      throw std::runtime_error("cannot restrict " + path + ": " + std::strerror(errno));
    }
    return secret;
  }
  secret = base64url_encode(secure_random_bytes(32));
  assert(secret.size() == 43);
  write_private_file(path, secret + "\n", owner);
  return secret;
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    const bool unreserved = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

}  // namespace utxoiq::app
