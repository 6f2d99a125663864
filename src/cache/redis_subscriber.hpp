#pragma once
// The pub/sub side of Redis: a connection of its own (a subscribed connection can run no other
// commands) that SUBSCRIBEs to one channel on every (re)connect and hands each message to a
// handler. Used by the cache's invalidation bus (cache_set.hpp) and, on a connection and channel
// of its own, by the read-your-writes token feed (app/ryw_token_feed.hpp).
//
// "Hearing" is what the cache's consistency rule depends on: true from the moment the SUBSCRIBE
// is confirmed until the connection is known to be gone. Known quickly: a closed socket is seen at
// once, and a server (or network) gone silent by a heartbeat, a PING every heartbeat_interval; no
// byte for heartbeat_timeout closes the connection. While not hearing, the instance may miss
// invalidations (or tokens), and its user acts accordingly.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cache/redis_client.hpp"
#include "util/task.hpp"

namespace boost::asio {
class io_context;
}

namespace utxoiq::cache {

struct RedisSubscriberOptions {
  std::string url;  // empty: disabled (never hearing, no messages)
  std::string name = "redis-subscriber";
  std::string channel;
  RedisConnectOptions connection;
  // A lost subscription costs the cache its L1 until it is back: retry quickly.
  resilience::BackoffPolicy reconnect_backoff{std::chrono::milliseconds{250},
                                              std::chrono::milliseconds{5000}, 2.0};
  std::chrono::milliseconds heartbeat_interval{250};
  std::chrono::milliseconds heartbeat_timeout{750};
};

class RedisSubscriber {
 public:
  using MessageHandler = std::function<void(std::string_view payload)>;
  using HearingListener = std::function<void(bool hearing)>;

  // Throws std::invalid_argument for a malformed URL or an empty channel.
  RedisSubscriber(boost::asio::io_context& io, RedisSubscriberOptions options);
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

  // Before start().
  void on_message(MessageHandler handler);
  void on_hearing_change(HearingListener listener);

  // Like RedisClient::start: returns after the first attempt, subscribed or not.
  Task<void> start();
  void stop();

  bool hearing() const;
  RedisState state() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace utxoiq::cache
