// Free loopback ports for the embedded servers; see free_port.hpp.
#include "app/free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace utxoiq::app {
namespace {

// Binds a TCP socket to 127.0.0.1:port; returns the bound port, or 0 when the bind failed.
int bind_loopback(int port, bool reuse_address) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  if (reuse_address) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  int bound = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      bound = ntohs(address.sin_port);
    }
  }
  close(fd);
  return bound;
}

}  // namespace

int pick_free_loopback_port() {
  const int port = bind_loopback(0, false);
  if (port == 0) throw std::runtime_error("no free loopback port: " + std::string(strerror(errno)));
  return port;
}

bool loopback_port_is_free(int port) {
  return port > 0 && port < 65536 && bind_loopback(port, true) == port;
}

int read_port_file(const std::string& path) {
  std::ifstream in(path);
  int port = 0;
  if (!(in >> port) || port <= 0 || port >= 65536) return 0;
  return port;
}

void write_port_file(const std::string& path, int port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << '\n';
    if (!out) return;
  }
  std::rename(temporary.c_str(), path.c_str());
}

int choose_port(int requested, const std::string& path) {
  if (requested != 0) return requested;
  const int remembered = read_port_file(path);
  if (remembered != 0 && loopback_port_is_free(remembered)) return remembered;
  return pick_free_loopback_port();
}

}  // namespace utxoiq::app
