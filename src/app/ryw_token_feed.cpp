// Read-your-writes tokens over Redis pub/sub; see ryw_token_feed.hpp.
#include "app/ryw_token_feed.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <vector>

#include "app/ryw_token_message.hpp"
#include "cache/cache_set.hpp"
#include "cache/redis_subscriber.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "pg/replica_set.hpp"

namespace utxoiq::app {

namespace {

cache::RedisSubscriberOptions subscriber_options(const RywTokenFeedOptions& feed) {
  cache::RedisSubscriberOptions options;
  options.url = feed.redis_url;
  options.name = "redis-ryw-tokens";
  options.channel = feed.channel;
  return options;
}

}  // namespace

struct RywTokenFeed::Impl {
  Impl(boost::asio::io_context& io, pg::ReplicaSet& set, cache::RedisCommands& commands,
       RywTokenFeedOptions feed_options)
      : replicas(set),
        publisher(commands),
        options(std::move(feed_options)),
        subscriber(io, subscriber_options(options)) {}

  pg::ReplicaSet& replicas;
  cache::RedisCommands& publisher;
  const RywTokenFeedOptions options;
  cache::RedisSubscriber subscriber;
  bool publish_failing = false;  // logged once per run of failures
  std::atomic<std::uint64_t> published{0};
  std::atomic<std::uint64_t> publish_failed{0};
  std::atomic<std::uint64_t> learned{0};

  void on_message(std::string_view payload) {
    const auto message = decode_token_message(payload);
    if (!message) {
      obs::log_warn("ignoring a malformed read-your-writes token message", {});
      return;
    }
    learned.fetch_add(1, std::memory_order_relaxed);
    replicas.learn_token(message->key, message->lsn);
  }

  void on_hearing(bool hearing) {
    replicas.token_feed_hearing(hearing);
    obs::log_info(hearing ? "read-your-writes token feed heard; other instances' tokens relied on "
                            "after the lag limit + 2 s"
                          : "read-your-writes token feed lost; blind mode (replicas serve only "
                            "while under 1 s behind)",
                  {{"channel", options.channel}});
  }

  Task<void> publish(std::string key, pg::Lsn lsn) {
    try {
      std::vector<std::string> command{"PUBLISH", options.channel, encode_token_message(key, lsn)};
      const cache::RedisReply reply = co_await publisher.command(std::move(command));
      if (reply.is_error()) throw std::runtime_error("PUBLISH refused: " + reply.describe());
      published.fetch_add(1, std::memory_order_relaxed);
      publish_failing = false;
    } catch (const std::exception& e) {
      publish_failed.fetch_add(1, std::memory_order_relaxed);
      if (!publish_failing) {
        obs::log_warn(
            "read-your-writes token not published; other instances may read this "
            "key's write from a replica that has not replayed it, within the lag limit",
            {{"error", e.what()}});
      }
      publish_failing = true;
    }
  }
};

namespace {

// A coroutine of its own (not a lambda's body): its frame holds its arguments, so it does not
// depend on the std::function that made it.
Task<void> publish_token(std::weak_ptr<RywTokenFeed::Impl> weak, std::string key, pg::Lsn lsn) {
  const auto self = weak.lock();
  if (self) co_await self->publish(std::move(key), lsn);
}

}  // namespace

RywTokenFeed::RywTokenFeed(boost::asio::io_context& io, pg::ReplicaSet& replicas,
                           cache::RedisCommands& publisher, RywTokenFeedOptions options)
    : impl_(std::make_shared<Impl>(io, replicas, publisher, std::move(options))) {
  const std::weak_ptr<Impl> weak = impl_;
  impl_->subscriber.on_message([weak](std::string_view payload) {
    if (const auto self = weak.lock()) self->on_message(payload);
  });
  impl_->subscriber.on_hearing_change([weak](bool hearing) {
    if (const auto self = weak.lock()) self->on_hearing(hearing);
  });
  replicas.set_token_publisher(
      [weak](std::string key, pg::Lsn lsn) { return publish_token(weak, std::move(key), lsn); });
}

RywTokenFeed::~RywTokenFeed() {
  stop();
  impl_->replicas.set_token_publisher({});
}

Task<void> RywTokenFeed::start() {
  co_await impl_->subscriber.start();
}

void RywTokenFeed::stop() {
  impl_->subscriber.stop();
  impl_->replicas.token_feed_hearing(false);
}

void RywTokenFeed::add_metrics(obs::Registry& registry) {
  registry.add_collector([weak = std::weak_ptr<Impl>(impl_)](obs::Exposition& out) {
    const auto self = weak.lock();
    if (!self) return;
    const auto d = [](const std::atomic<std::uint64_t>& v) {
      return static_cast<double>(v.load(std::memory_order_relaxed));
    };
    const char* help = "Read-your-writes tokens sent to the other instances, by result";
    out.counter("utxoiq_db_ryw_tokens_published_total", help, d(self->published),
                {{"result", "ok"}});
    out.counter("utxoiq_db_ryw_tokens_published_total", help, d(self->publish_failed),
                {{"result", "failed"}});
    out.counter("utxoiq_db_ryw_tokens_learned_total",
                "Read-your-writes tokens heard from the token feed (own ones included)",
                d(self->learned));
  });
}

std::unique_ptr<RywTokenFeed> make_ryw_token_feed(boost::asio::io_context& io,
                                                  pg::ReplicaSet* replicas, cache::CacheSet& caches,
                                                  const std::string& redis_url,
                                                  const std::string& key_prefix) {
  if (!replicas || redis_url.empty()) return nullptr;
  return std::make_unique<RywTokenFeed>(
      io, *replicas, caches.redis().unguarded(),
      RywTokenFeedOptions{.redis_url = redis_url, .channel = key_prefix + "ryw:tokens"});
}

}  // namespace utxoiq::app
