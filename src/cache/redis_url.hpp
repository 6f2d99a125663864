#pragma once
// Where the Redis server is: REDIS_URL parsed into its parts.
//
//   redis://[[username]:password@]host[:port][/db]     e.g. redis://:s3cret@10.0.0.5:6380/2
//
// Port defaults to 6379 and db to 0. User name and password may be percent-encoded. An IPv6 host
// is written in brackets (redis://[::1]:6379). rediss:// (TLS) and unix sockets are refused: the
// client speaks plain TCP. The password is never part of a message or a log line.
#include <cstdint>
#include <string>
#include <string_view>

namespace utxoiq::cache {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string username;  // empty: AUTH with the password only (the default user)
  std::string password;  // empty: no AUTH
  int db = 0;            // SELECT after connecting when not 0

  // "host:port/db", without credentials: safe to log.
  std::string describe() const;
};

// Throws std::invalid_argument (naming the problem, never the password) for a URL that is not of
// the form above.
RedisEndpoint parse_redis_url(std::string_view url);

}  // namespace utxoiq::cache
