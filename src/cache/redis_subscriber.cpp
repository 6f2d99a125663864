// Subscriber connection with SUBSCRIBE on every session and a PING heartbeat; see
// redis_subscriber.hpp.
#include "cache/redis_subscriber.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <vector>

#include "cache/internal/redis_errors.hpp"

namespace utxoiq::cache {

namespace asio = boost::asio;

namespace {

RedisClientOptions client_options(const RedisSubscriberOptions& o) {
  RedisClientOptions c;
  c.url = o.url;
  c.name = o.name;
  c.connection = o.connection;
  c.reconnect_backoff = o.reconnect_backoff;
  return c;
}

}  // namespace

struct RedisSubscriber::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& context, RedisSubscriberOptions subscriber_options)
      : io(context),
        options(std::move(subscriber_options)),
        client(context, client_options(options)),
        heartbeat(context) {
    if (options.channel.empty()) throw std::invalid_argument("redis subscriber: empty channel");
  }

  asio::io_context& io;
  const RedisSubscriberOptions options;
  RedisClient client;
  asio::steady_timer heartbeat;
  bool stopped = false;
  std::vector<MessageHandler> handlers;
  std::vector<HearingListener> listeners;

  void on_push(const RedisReply& reply) {
    // ["message", channel, payload]; "pong" and "subscribe" confirmations need nothing (they have
    // already refreshed last_read, which is all the heartbeat wants).
    if (!reply.is_array() || reply.elements.size() != 3) return;
    if (reply.elements[0].as_text() != std::string_view("message")) return;
    const auto payload = reply.elements[2].as_text();
    if (!payload) return;
    for (const auto& handler : handlers) handler(*payload);
  }
};

namespace {

using Impl = RedisSubscriber::Impl;

Task<void> subscribe(std::weak_ptr<Impl> weak, RedisConnection& connection) {
  auto self = weak.lock();
  if (!self) throw RedisUnavailable("subscriber gone");
  std::vector<std::string> command{"SUBSCRIBE", self->options.channel};
  const RedisReply reply = co_await connection.command(std::move(command));
  if (!reply.is_array() || reply.elements.empty() ||
      reply.elements[0].as_text() != std::string_view("subscribe")) {
    throw RedisUnavailable("SUBSCRIBE refused: " + reply.describe());
  }
  connection.set_push_mode(true);
  connection.set_push_handler([weak](RedisReply push) {
    if (auto impl = weak.lock()) impl->on_push(push);
  });
}

Task<void> heartbeat_loop(std::shared_ptr<Impl> self) {
  const std::vector<std::string> ping{"PING"};
  while (!self->stopped) {
    self->heartbeat.expires_after(self->options.heartbeat_interval);
    co_await self->heartbeat.async_wait(asio::as_tuple(asio::use_awaitable));
    if (self->stopped) break;
    const auto connection = self->client.connection();
    if (!connection || !connection->is_open()) continue;
    if (resilience::steady_now() - connection->last_read() > self->options.heartbeat_timeout) {
      connection->abort("no answer to PING within " +
                        std::to_string(self->options.heartbeat_timeout.count()) + " ms");
      continue;
    }
    connection->send(ping);
  }
}

}  // namespace

RedisSubscriber::RedisSubscriber(asio::io_context& io, RedisSubscriberOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {
  std::weak_ptr<Impl> weak = impl_;
  impl_->client.on_session([weak](RedisConnection& connection, std::uint64_t) -> Task<void> {
    return subscribe(weak, connection);
  });
  impl_->client.on_state_change([weak](RedisState state) {
    if (auto self = weak.lock()) {
      for (const auto& listener : self->listeners) listener(state == RedisState::up);
    }
  });
}

RedisSubscriber::~RedisSubscriber() {
  stop();
}

void RedisSubscriber::on_message(MessageHandler handler) {
  impl_->handlers.push_back(std::move(handler));
}

void RedisSubscriber::on_hearing_change(HearingListener listener) {
  impl_->listeners.push_back(std::move(listener));
}

Task<void> RedisSubscriber::start() {
  auto self = impl_;
  if (!self->client.enabled()) co_return;
  asio::co_spawn(self->io, heartbeat_loop(self), asio::detached);
  co_await self->client.start();
}

void RedisSubscriber::stop() {
  impl_->stopped = true;
  impl_->heartbeat.cancel();
  impl_->client.stop();
}

bool RedisSubscriber::hearing() const {
  return impl_->client.state() == RedisState::up;
}

RedisState RedisSubscriber::state() const {
  return impl_->client.state();
}

}  // namespace utxoiq::cache
