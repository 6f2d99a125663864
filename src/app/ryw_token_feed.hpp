#pragma once
// Read-your-writes tokens shared by every instance through Redis pub/sub (issue 12; api.md
// "Precise rules": a replica that has not replayed a key's last write does not serve that key's
// reads, on any instance). Only made when replicas are configured and Redis is.
//
//  - Publishing: each token the ReplicaSet records (after a write by a key) is PUBLISHed as
//    "<lsn> <key>" (app/ryw_token_message.hpp) on `<key prefix>ryw:tokens`, over the cache's
//    command connection without its circuit breaker (like the cache's invalidations: attempted
//    whenever there is a connection). The write's answer waits for Redis's reply, so when a client
//    holds the answer, Redis has already passed the token to every subscribed instance.
//  - Hearing: a subscriber connection of its own (cache/redis_subscriber.hpp, PING heartbeat)
//    merges every token heard into the ReplicaSet (maximum per key) and tells it when the
//    subscription is confirmed or lost; the ReplicaSet relies on the tokens only after max_lag +
//    2 lag polls of unbroken hearing (pg/token_feed_completeness.hpp) and uses blind mode
//    otherwise (pg/host_router.hpp).
//
// What Redis trouble does:
//  - Redis down for every instance: every subscriber notices at once (closed socket) or within
//    ~1 s (heartbeat); every instance is in blind mode until Redis has been back for max_lag + 2 s.
//  - A PUBLISH that fails (this instance cut off while the others still hear) is counted
//    (utxoiq_db_ryw_tokens_published_total{result="failed"}) and logged; the write still succeeds.
//    The other instances do not learn that token and may, for that key, read from a replica within
//    the lag limit that has not replayed it, until it has (at most the lag limit). No rule can fix
//    that without Redis; it is the same gap as the cache's (cache/cache_set.hpp).
// One thread: the io_context's, like the ReplicaSet.
#include <memory>
#include <string>

#include "util/task.hpp"

namespace boost::asio {
class io_context;
}
namespace utxoiq::cache {
class CacheSet;
class RedisCommands;
}  // namespace utxoiq::cache
namespace utxoiq::obs {
class Registry;
}
namespace utxoiq::pg {
class ReplicaSet;
}

namespace utxoiq::app {

struct RywTokenFeedOptions {
  std::string redis_url;
  std::string channel;  // "<key prefix>ryw:tokens"
};

class RywTokenFeed {
 public:
  // `replicas` and `publisher` must outlive the feed. Connects nothing before start(); from
  // construction the ReplicaSet hands its tokens to this feed.
  RywTokenFeed(boost::asio::io_context& io, pg::ReplicaSet& replicas,
               cache::RedisCommands& publisher, RywTokenFeedOptions options);
  ~RywTokenFeed();  // stop()s and detaches from the ReplicaSet
  RywTokenFeed(const RywTokenFeed&) = delete;
  RywTokenFeed& operator=(const RywTokenFeed&) = delete;

  // Subscribes (first attempt; never throws because Redis is down).
  Task<void> start();
  void stop();

  // utxoiq_db_ryw_tokens_published_total{result}, utxoiq_db_ryw_tokens_learned_total.
  void add_metrics(obs::Registry& registry);

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// The service's feed: null without replicas or without Redis (then the ReplicaSet stays in blind
// mode, as one instance cannot learn others' tokens).
std::unique_ptr<RywTokenFeed> make_ryw_token_feed(boost::asio::io_context& io,
                                                  pg::ReplicaSet* replicas, cache::CacheSet& caches,
                                                  const std::string& redis_url,
                                                  const std::string& key_prefix);

}  // namespace utxoiq::app
