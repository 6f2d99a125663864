// RedisClient: the connection kept open by a background loop, breaker in front of commands; see
// redis_client.hpp.
#include "cache/redis_client.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "cache/internal/redis_errors.hpp"
#include "cache/redis_url.hpp"
#include "obs/logging.hpp"

namespace utxoiq::cache {

namespace asio = boost::asio;

std::string_view to_string(RedisState state) {
  switch (state) {
    case RedisState::disabled:
      return "disabled";
    case RedisState::down:
      return "down";
    case RedisState::up:
      return "up";
  }
  return "unknown";
}

struct RedisClient::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& context, RedisClientOptions client_options)
      : io(context),
        options(std::move(client_options)),
        breaker(options.breaker),
        backoff(options.reconnect_backoff),
        wake(context),
        first_attempt(context) {
    if (!options.url.empty()) endpoint = parse_redis_url(options.url);
    state = endpoint ? RedisState::down : RedisState::disabled;
  }

  asio::io_context& io;
  const RedisClientOptions options;
  std::optional<RedisEndpoint> endpoint;
  resilience::CircuitBreaker breaker;
  resilience::Backoff backoff;
  std::shared_ptr<RedisConnection> connection;
  asio::steady_timer wake;           // the loop sleeps on it: while connected, or backing off
  asio::steady_timer first_attempt;  // start() sleeps on it until the loop's first attempt ends
  bool first_attempt_done = false;
  bool started = false;
  bool stopped = false;
  bool connecting = false;
  bool urgent = false;  // reconnect_urgently() until the next session
  RedisState state = RedisState::disabled;
  std::uint64_t sessions = 0;
  std::string last_error;
  std::vector<SessionHook> hooks;
  std::vector<StateListener> listeners;

  void set_state(RedisState next) {
    if (state == next) return;
    state = next;
    for (const auto& listener : listeners) listener(next);
  }

  void on_closed(const std::shared_ptr<RedisConnection>& closed, const std::string& reason) {
    if (connection != closed) return;
    connection.reset();
    obs::log_warn(
        "redis connection lost",
        {{"redis", options.name}, {"endpoint", endpoint->describe()}, {"reason", reason}});
    set_state(RedisState::down);
    wake.cancel();  // reconnect at once; backoff only between failed attempts
  }

  void finish_first_attempt() {
    if (first_attempt_done) return;
    first_attempt_done = true;
    first_attempt.cancel();
  }
};

namespace {

using Impl = RedisClient::Impl;

Task<void> run_loop(std::shared_ptr<Impl> self) {
  while (!self->stopped) {
    if (self->connection && self->connection->is_open()) {
      self->wake.expires_at(asio::steady_timer::time_point::max());
      co_await self->wake.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    std::shared_ptr<RedisConnection> fresh;
    std::string error;
    self->connecting = true;
    try {
      fresh =
          co_await RedisConnection::connect(self->io, *self->endpoint, self->options.connection);
      for (const auto& hook : self->hooks) co_await hook(*fresh, self->sessions + 1);
    } catch (const std::exception& e) {
      error = e.what();
      fresh.reset();
    }
    self->connecting = false;
    if (self->stopped) break;

    if (fresh && fresh->is_open()) {
      ++self->sessions;
      self->connection = fresh;
      fresh->set_close_handler(
          [weak = std::weak_ptr<Impl>(self),
           raw = std::weak_ptr<RedisConnection>(fresh)](const std::string& reason) {
            auto impl = weak.lock();
            auto closed = raw.lock();
            if (impl && closed) impl->on_closed(closed, reason);
          });
      self->backoff.reset();
      self->urgent = false;
      self->last_error.clear();
      obs::log_info("redis connected", {{"redis", self->options.name},
                                        {"endpoint", self->endpoint->describe()},
                                        {"session", self->sessions}});
      self->set_state(RedisState::up);
      self->finish_first_attempt();
      continue;
    }
    if (error.empty()) error = "connection closed during set-up";
    // One line per outage and per change of reason, not one per attempt.
    if (error != self->last_error) {
      obs::log_warn("redis unavailable; retrying in the background",
                    {{"redis", self->options.name},
                     {"endpoint", self->endpoint->describe()},
                     {"error", error}});
      self->last_error = error;
    }
    self->set_state(RedisState::down);
    self->finish_first_attempt();
    auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(self->backoff.next_delay());
    if (self->urgent) delay = std::min(delay, self->options.urgent_retry);
    self->wake.expires_after(delay);
    co_await self->wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  self->finish_first_attempt();
}

Task<RedisReply> unguarded_command(std::shared_ptr<Impl> self, std::vector<std::string> args) {
  if (!self->endpoint) throw RedisUnavailable("not configured");
  const std::shared_ptr<RedisConnection> connection = self->connection;
  if (!connection || !connection->is_open()) throw RedisUnavailable("not connected");
  co_return co_await connection->command(std::move(args));
}

class Unguarded : public RedisCommands {
 public:
  explicit Unguarded(std::weak_ptr<Impl> impl) : impl_(std::move(impl)) {}
  Task<RedisReply> command(std::vector<std::string> args) override {
    auto self = impl_.lock();
    if (!self) throw RedisUnavailable("client gone");
    return unguarded_command(std::move(self), std::move(args));
  }

 private:
  std::weak_ptr<Impl> impl_;
};

}  // namespace

RedisClient::RedisClient(asio::io_context& io, RedisClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))),
      unguarded_(std::make_unique<Unguarded>(impl_)) {}

RedisCommands& RedisClient::unguarded() {
  return *unguarded_;
}

RedisClient::~RedisClient() {
  stop();
}

void RedisClient::on_session(SessionHook hook) {
  impl_->hooks.push_back(std::move(hook));
}

void RedisClient::on_state_change(StateListener listener) {
  impl_->listeners.push_back(std::move(listener));
}

Task<void> RedisClient::start() {
  auto self = impl_;
  if (!self->endpoint || self->started) co_return;
  self->started = true;  // once: a stopped client stays stopped
  asio::co_spawn(self->io, run_loop(self), asio::detached);
  if (!self->first_attempt_done) {
    self->first_attempt.expires_at(asio::steady_timer::time_point::max());
    co_await self->first_attempt.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void RedisClient::stop() {
  auto& self = *impl_;
  if (self.stopped) return;
  self.stopped = true;
  self.wake.cancel();
  self.finish_first_attempt();
  if (self.connection) {
    self.connection->close("client stopped");
    self.connection.reset();
  }
  // Listeners are not told: stopping is the owner's own doing, often from a destructor, when
  // what the listeners reference may be gone already.
  if (self.endpoint) self.state = RedisState::down;
}

RedisState RedisClient::state() const {
  // A connection that just failed is down now, even before its close handler has run.
  const auto& self = *impl_;
  if (self.state == RedisState::up && !(self.connection && self.connection->is_open())) {
    return RedisState::down;
  }
  return self.state;
}

bool RedisClient::enabled() const {
  return impl_->endpoint.has_value();
}

Task<RedisReply> RedisClient::command(std::vector<std::string> args) {
  auto self = impl_;
  if (!self->endpoint) throw RedisUnavailable("not configured");
  const std::shared_ptr<RedisConnection> connection = self->connection;  // alive across the await
  if (!connection || !connection->is_open()) throw RedisUnavailable("not connected");
  auto permit = self->breaker.try_acquire();
  if (!permit) throw RedisUnavailable("circuit open");
  try {
    RedisReply reply = co_await connection->command(std::move(args));
    permit.success();
    co_return reply;
  } catch (const RedisUnavailable&) {
    permit.failure();
    throw;
  }
}

Task<std::vector<RedisReply>> RedisClient::pipeline(
    std::vector<std::vector<std::string>> commands) {
  auto self = impl_;
  if (!self->endpoint) throw RedisUnavailable("not configured");
  const std::shared_ptr<RedisConnection> connection = self->connection;
  if (!connection || !connection->is_open()) throw RedisUnavailable("not connected");
  auto permit = self->breaker.try_acquire();
  if (!permit) throw RedisUnavailable("circuit open");
  try {
    auto replies = co_await connection->pipeline(std::move(commands));
    permit.success();
    co_return replies;
  } catch (const RedisUnavailable&) {
    permit.failure();
    throw;
  }
}

void RedisClient::reconnect_now() {
  auto& self = *impl_;
  if (!self.endpoint || self.stopped || !self.started || self.connecting) return;
  if (!self.connection) self.wake.cancel();
}

void RedisClient::reconnect_urgently() {
  if (!impl_->endpoint || impl_->stopped) return;
  impl_->urgent = true;
  reconnect_now();
}

void RedisClient::restart_session_urgently(std::string_view reason) {
  if (const auto current = impl_->connection; current && current->is_open()) {
    current->abort(std::string(reason));
  }
  reconnect_urgently();
}

resilience::CircuitBreaker& RedisClient::breaker() {
  return impl_->breaker;
}

std::uint64_t RedisClient::sessions() const {
  return impl_->sessions;
}

std::shared_ptr<RedisConnection> RedisClient::connection() const {
  return impl_->connection;
}

const RedisClientOptions& RedisClient::options() const {
  return impl_->options;
}

}  // namespace utxoiq::cache
