#pragma once
// A database URL that can change while the service runs: after a failover
// (pg/primary_follower.hpp) the work that opens its own blocking connections on other threads
// (retention, backups, the scheduler's locks, partition maintenance, the index advisor) must
// reach the new primary, and never the old one again. Every copy shares one value, so the owner
// sets it once and each user reads it when it connects. Set on one thread, read on any: guarded
// by a mutex (a read per connection open, never on a request's path).
//
// Implicitly made from a fixed URL, so code and tests that have only one URL pass a string.
#include <memory>
#include <mutex>
#include <string>

namespace utxoiq::util {

class LiveUrl {
 public:
  LiveUrl() : LiveUrl(std::string{}) {}
  LiveUrl(std::string url)  // NOLINT(google-explicit-constructor): a fixed URL is a LiveUrl
      : shared_(std::make_shared<Shared>()) {
    shared_->url = std::move(url);
  }
  LiveUrl(const char* url) : LiveUrl(std::string(url)) {}  // NOLINT(google-explicit-constructor)

  std::string get() const {
    const std::lock_guard lock(shared_->mutex);
    return shared_->url;
  }
  // Every copy of this LiveUrl reads `url` from now on.
  void set(std::string url) {
    const std::lock_guard lock(shared_->mutex);
    shared_->url = std::move(url);
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::string url;
  };
  std::shared_ptr<Shared> shared_;
};

}  // namespace utxoiq::util
