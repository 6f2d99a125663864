#include "support/fake_l2_store.hpp"

#include <stdexcept>

namespace utxoiq::testing {

void FakeL2Store::fail_if_failing() const {
  if (failing_) throw std::runtime_error("fake L2: connection lost");
}

cache::L2FillGuard FakeL2Store::guard_for(const std::string& key,
                                          const std::vector<std::string>& tags) const {
  const auto generation = [](const auto& map, const std::string& name) {
    const auto it = map.find(name);
    return std::to_string(it == map.end() ? 0 : it->second);
  };
  cache::L2FillGuard guard;
  guard.generations.push_back(std::to_string(epoch_));
  guard.generations.push_back(generation(key_generations_, key));
  for (const auto& tag : tags) guard.generations.push_back(generation(tag_generations_, tag));
  return guard;
}

Task<cache::L2Lookup> FakeL2Store::lookup(std::string_view, const std::string& key,
                                          const std::vector<std::string>& tags) {
  fail_if_failing();
  ++lookups;
  cache::L2Lookup result;
  result.guard = guard_for(key, tags);
  const auto it = entries_.find(key);
  if (it != entries_.end() && live(it->second) && it->second.epoch == epoch_) {
    result.value = it->second.value;
    result.ttl_left = it->second.expires_at - now_();
  } else if (evicted_.erase(key) > 0) {
    result.evicted = true;
  }
  co_return result;
}

Task<bool> FakeL2Store::fill(std::string_view cache, const std::string& key,
                             const std::string& value, resilience::Duration ttl,
                             const std::vector<std::string>& tags,
                             const cache::L2FillGuard& guard) {
  fail_if_failing();
  if (guard.generations != guard_for(key, tags).generations) {
    ++fills_refused;
    co_return false;
  }
  ++fills;
  entries_[key] = Entry{value, std::string(cache), now_() + ttl, epoch_};
  for (const auto& tag : tags) tag_members_[tag].insert(key);
  evicted_.erase(key);
  co_return true;
}

void FakeL2Store::drop(const std::string& key) {
  entries_.erase(key);
  evicted_.erase(key);
}

Task<void> FakeL2Store::invalidate(const cache::InvalidationMessage& message) {
  fail_if_failing();
  for (const auto& key : message.keys) {
    ++key_generations_[key];
    drop(key);
  }
  for (const auto& tag : message.tags) {
    ++tag_generations_[tag];
    for (const auto& key : tag_members_[tag]) drop(key);
    tag_members_.erase(tag);
  }
  published.push_back(message);
  if (on_publish) on_publish(message);
  co_return;
}

Task<std::vector<std::uint64_t>> FakeL2Store::entry_counts(const std::vector<std::string>& caches) {
  fail_if_failing();
  std::vector<std::uint64_t> counts;
  for (const auto& cache : caches) {
    std::uint64_t n = 0;
    for (const auto& [key, entry] : entries_) n += entry.cache == cache && live(entry) ? 1 : 0;
    counts.push_back(n);
  }
  co_return counts;
}

void FakeL2Store::evict(const std::string& key) {
  if (entries_.erase(key) > 0) evicted_.insert(key);
}

bool FakeL2Store::contains(const std::string& key) const {
  const auto it = entries_.find(key);
  return it != entries_.end() && live(it->second) && it->second.epoch == epoch_;
}

std::optional<std::string> FakeL2Store::value_of(const std::string& key) const {
  if (!contains(key)) return std::nullopt;
  return entries_.at(key).value;
}

}  // namespace utxoiq::testing
