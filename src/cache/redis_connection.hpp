#pragma once
// One TCP connection to Redis, driven by the service's Asio event loop, pipelined: any number of
// commands may be in flight at once (each coroutine awaits its own reply) and replies are matched
// to commands in the order they were sent, which is the order Redis answers in.
//
// Why hiredis's reply parser (redisReader) over our own Asio socket rather than hiredis's async
// context with Asio event hooks: Debian 12 ships hiredis 0.14, whose async API has neither a
// connect timeout nor command timeouts and resolves host names with a blocking getaddrinfo. With
// our own socket, connecting (resolve, TCP, AUTH, SELECT), writing and every per-command deadline
// are ordinary Asio operations on the loop, and hiredis does what it is best at: parsing RESP
// replies (redisReader). Commands are encoded here (a RESP array of bulk strings: a few lines,
// and no allocation by hiredis per command). Both hiredis and Asio stay in the .cpp.
//
// Timeouts: a command without a reply within command_timeout fails with RedisTimeout AND closes
// the connection. Replies come in order, so a reply that is late means every later one is late
// too; a server that stalls that long is treated as gone (the client reconnects), instead of
// letting commands pile up behind it.
//
// Pub/sub: after set_push_mode(true) every reply is handed to the push handler (messages of a
// subscribed connection and PING's "pong"), none is matched to a command.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cache/redis_commands.hpp"
#include "cache/redis_reply.hpp"
#include "cache/redis_url.hpp"
#include "resilience/clock.hpp"
#include "util/task.hpp"

namespace boost::asio {
class io_context;
}

namespace utxoiq::cache {

struct RedisConnectOptions {
  // Resolve + TCP connect + AUTH/SELECT/PING: all of it within this.
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};
};

class RedisConnection : public RedisCommands {
 public:
  // Connects and checks that the server answers (AUTH and SELECT when the endpoint asks for them,
  // else PING). Throws RedisUnavailable (RedisTimeout past connect_timeout).
  static Task<std::shared_ptr<RedisConnection>> connect(boost::asio::io_context& io,
                                                        RedisEndpoint endpoint,
                                                        RedisConnectOptions options = {});

  ~RedisConnection() override;  // closes
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  Task<RedisReply> command(std::vector<std::string> args) override;
  // All commands written back to back; one reply per command, in order. Throws like command().
  Task<std::vector<RedisReply>> pipeline(std::vector<std::vector<std::string>> commands);
  // Writes a command whose reply will arrive through the push handler (push mode only: PING on a
  // subscribed connection).
  void send(std::vector<std::string> args);

  // Replies that belong to no command go here (after set_push_mode(true): all of them). Without a
  // handler such a reply is a protocol error and closes the connection.
  void set_push_handler(std::function<void(RedisReply)> handler);
  void set_push_mode(bool on);
  // Called once, on the loop, after the connection closed for any reason but close() itself.
  void set_close_handler(std::function<void(const std::string& reason)> handler);

  bool is_open() const;
  // Fails every command in flight with RedisUnavailable(reason); the close handler is not called.
  void close(const std::string& reason = "closed");
  // The same, as if the connection had been lost: the close handler is called (the subscriber's
  // heartbeat uses it for a server gone silent).
  void abort(const std::string& reason);
  // When bytes last arrived (for the subscriber's heartbeat).
  resilience::TimePoint last_read() const;
  std::size_t in_flight() const;

  struct State;
  explicit RedisConnection(std::shared_ptr<State> state);

 private:
  std::shared_ptr<State> state_;
};

}  // namespace utxoiq::cache
