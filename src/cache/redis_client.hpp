#pragma once
// The service's Redis client: one pipelined connection (redis_connection.hpp) kept open in the
// background, a circuit breaker in front of it, and a state for /readyz.
//
//   RedisClient redis(io, {.url = "redis://127.0.0.1:6379/0"});
//   co_await redis.start();                        // first attempt; never throws for an outage
//   RedisReply r = co_await redis.command({"GET", "feedback:stats:abc"});
//
// States: `disabled` (no URL: a supported mode, everything runs without Redis), `up` (connected and
// answering), `down` (not connected: being retried). While down, command() fails at once with
// RedisUnavailable instead of waiting for a timeout, and a background loop reconnects with
// exponential backoff and full jitter (ceilings 1 s, 2 s, 4 s ... capped at 30 s; the first
// attempt after a lost connection is immediate). reconnect_now() cuts a wait short (the cache
// calls it when an invalidation could not be sent, so that it gets through as soon as Redis is
// back).
//
// The circuit breaker (open at 50% failures over 60 s with at least 20 calls,
// half-open after 30 s with 3 probes) covers the case the connection state cannot see: a server
// that is connected but answers too slowly or not at all. Failures that count: timeouts and
// connections lost while waiting. Error replies (NOSCRIPT, WRONGTYPE, a script's error) are
// answers, so they count as successes. While it is open, command() fails at once.
//
// Session hooks run on every new connection before it is handed out (the cache uses one to start
// each session with a clean slate, see cache_set.hpp; the subscriber uses one to SUBSCRIBE). A
// hook that throws fails that attempt, which is retried like a failed connect.
//
// One thread: everything runs on the io_context given, and the client is used from that thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cache/redis_commands.hpp"
#include "cache/redis_connection.hpp"
#include "cache/redis_reply.hpp"
#include "resilience/backoff.hpp"
#include "resilience/circuit_breaker.hpp"
#include "util/task.hpp"

namespace boost::asio {
class io_context;
}

namespace utxoiq::cache {

enum class RedisState { disabled, down, up };

// "disabled", "down", "up" (the words of /readyz and /api/v1/monitoring/cache).
std::string_view to_string(RedisState state);

struct RedisClientOptions {
  std::string url;             // REDIS_URL; empty: disabled
  std::string name = "redis";  // in log lines and metric labels
  RedisConnectOptions connection;
  resilience::BackoffPolicy reconnect_backoff{std::chrono::milliseconds{1000},
                                              std::chrono::milliseconds{30'000}, 2.0};
  resilience::CircuitBreakerOptions breaker;  // the defaults are the ones above
  std::chrono::milliseconds urgent_retry{200};
};

class RedisClient : public RedisCommands {
 public:
  // session: 1 for the first connection, 2 after the first reconnect, ...
  using SessionHook = std::function<Task<void>(RedisConnection& connection, std::uint64_t session)>;
  using StateListener = std::function<void(RedisState)>;

  // Throws std::invalid_argument for a malformed URL. Connects to nothing before start().
  RedisClient(boost::asio::io_context& io, RedisClientOptions options);
  ~RedisClient() override;  // stop()s
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Before start().
  void on_session(SessionHook hook);
  // Called on every change of state(), on the loop (not for the stop() itself).
  void on_state_change(StateListener listener);

  // Starts the background loop and returns after its first attempt, connected or not (bounded by
  // the connect timeout). Never throws because Redis is unreachable. No-op when disabled.
  Task<void> start();
  // Closes the connection and ends the loop (commands in flight fail). On the loop's thread.
  void stop();

  RedisState state() const;
  bool enabled() const;

  Task<RedisReply> command(std::vector<std::string> args) override;
  Task<std::vector<RedisReply>> pipeline(std::vector<std::vector<std::string>> commands);
  // The same commands without the circuit breaker (still failing at once while not connected):
  // for invalidations, which must be attempted whenever there is a connection (cache_set.hpp).
  RedisCommands& unguarded();

  // While down: try to connect now instead of at the end of the current backoff wait.
  void reconnect_now();
  // The same, and until the next connection is made wait at most urgent_retry between attempts
  // (the cache asks for it when an invalidation could not be sent: other instances hear of the
  // write only once this instance is connected again).
  void reconnect_urgently();
  // Ends the current session, if there is one, and reconnect_urgently(): the cache asks for it
  // when an invalidation failed, so that the next session begins clean (cache_set.hpp, rule 2).
  void restart_session_urgently(std::string_view reason);

  resilience::CircuitBreaker& breaker();
  // Connections made so far (each one a session).
  std::uint64_t sessions() const;
  // The current connection, for the subscriber's heartbeat; nullptr while down.
  std::shared_ptr<RedisConnection> connection() const;
  const RedisClientOptions& options() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  std::unique_ptr<RedisCommands> unguarded_;
};

}  // namespace utxoiq::cache
