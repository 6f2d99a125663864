// See listen_probe.hpp.
#include "app/listen_probe.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace utxoiq::app {

std::string probe_listen_address(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return gai_strerror(rc);
  }
  // Like the server: the first address that can be bound wins.
  std::string error = "no address to bind";
  for (const addrinfo* entry = found; entry; entry = entry->ai_next) {
    const int fd = socket(entry->ai_family, entry->ai_socktype | SOCK_CLOEXEC, entry->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int on = 1;
    const bool bound = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
                       bind(fd, entry->ai_addr, entry->ai_addrlen) == 0;
    if (!bound) error = std::strerror(errno);
    close(fd);
    if (bound) {
      error.clear();
      break;
    }
  }
  freeaddrinfo(found);
  return error;
}

}  // namespace utxoiq::app
