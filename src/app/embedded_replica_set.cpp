// The embedded replicas of `serve`; see embedded_replica_set.hpp.
#include "app/embedded_replica_set.hpp"

#include <cassert>
#include <filesystem>
#include <stdexcept>

#include "app/embedded_replica.hpp"
#include "obs/logging.hpp"

namespace utxoiq::app {
namespace {

namespace fs = std::filesystem;

EmbeddedReplicaOptions replica_options(const EmbeddedReplicaSetOptions& set, int number) {
  EmbeddedReplicaOptions options;
  options.data_dir =
      (fs::absolute(set.data_dir) / ("replica-" + std::to_string(number))).lexically_normal();
  options.primary_data_dir = set.primary_data_dir;
  options.primary_port = set.primary_port;
  options.slot_name = "utxoiq_replica_" + std::to_string(number);
  options.database = set.database;
  options.durable = set.durable;
  return options;
}

// A replica made before (a previous run) whose WAL the primary dropped meanwhile.
bool needs_rebuild(const EmbeddedReplica& replica) {
  return fs::exists(fs::path(replica.data_dir()) / "PG_VERSION") && !replica.wal_retained();
}

}  // namespace

EmbeddedReplicaSet::EmbeddedReplicaSet(EmbeddedReplicaSetOptions options)
    : options_(std::move(options)) {
  if (options_.count < 1 || options_.count > 16) {
    throw std::invalid_argument("embedded replicas: between 1 and 16");
  }
  configure_primary_for_replicas(options_.primary_data_dir, options_.primary_port);
  for (int number = 1; number <= options_.count; ++number) {
    auto replica = std::make_unique<EmbeddedReplica>(replica_options(options_, number));
    try {
      if (needs_rebuild(*replica)) {
        obs::log_warn("embedded replica lost its WAL; rebuilding it with pg_basebackup",
                      {{"replica", replica->data_dir()}});
        replica->rebuild();
        ++rebuilds_;
      } else {
        replica->start();
      }
    } catch (const std::exception& e) {
      throw std::runtime_error("embedded replica " + std::to_string(number) +
                               " did not start: " + e.what());
    }
    urls_.push_back(replica->url());
    obs::log_info("embedded replica started",
                  {{"replica", replica->data_dir()}, {"port", replica->port()}});
    replicas_.push_back(std::move(replica));
  }
  watcher_ = std::thread([this] { watch(); });
}

EmbeddedReplicaSet::~EmbeddedReplicaSet() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  std::lock_guard lock(mutex_);
  replicas_.clear();  // each stops its server (fast shutdown)
}

int EmbeddedReplicaSet::repair() {
  std::lock_guard lock(mutex_);
  int rebuilt = 0;
  for (const auto& replica : replicas_) {
    if (stopping_) break;
    try {
      if (!replica->wal_retained()) {
        obs::log_warn("embedded replica lost its WAL; rebuilding it with pg_basebackup",
                      {{"replica", replica->data_dir()}});
        replica->rebuild();
        ++rebuilt;
        ++rebuilds_;
        obs::log_info("embedded replica rebuilt", {{"replica", replica->data_dir()}});
      } else if (!replica->running()) {
        obs::log_warn("embedded replica had stopped; starting it",
                      {{"replica", replica->data_dir()}});
        replica->start();
      }
    } catch (const std::exception& e) {
      obs::log_error("embedded replica check failed",
                     {{"replica", replica->data_dir()}, {"error", e.what()}});
    }
  }
  return rebuilt;
}

int EmbeddedReplicaSet::rebuilds() const {
  std::lock_guard lock(mutex_);
  return rebuilds_;
}

void EmbeddedReplicaSet::watch() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, options_.check_interval, [this] { return stopping_; })) {
    lock.unlock();
    repair();
    lock.lock();
  }
}

}  // namespace utxoiq::app
