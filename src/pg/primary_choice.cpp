// The primary's choice; the rules are in primary_choice.hpp.
#include "pg/primary_choice.hpp"

#include <cassert>
#include <vector>

namespace utxoiq::pg {

bool accepts_our_writes(const HostFacts& facts, std::uint32_t followed_timeline,
                        std::optional<std::uint64_t> cluster_identifier) {
  if (facts.error || facts.in_recovery) return false;
  if (cluster_identifier && facts.system_identifier != *cluster_identifier) return false;
  return facts.timeline >= followed_timeline;
}

PrimaryChoice choose_primary(std::span<const HostFacts> hosts, std::size_t current,
                             std::uint32_t followed_timeline,
                             std::optional<std::uint64_t> cluster_identifier) {
  assert(current < hosts.size());
  std::vector<std::size_t> candidates;
  std::uint32_t newest = 0;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (!accepts_our_writes(hosts[i], followed_timeline, cluster_identifier)) continue;
    candidates.push_back(i);
    newest = std::max(newest, hosts[i].timeline);
  }
  if (candidates.empty()) {
    return {std::nullopt, "no configured host accepts writes on timeline " +
                              std::to_string(followed_timeline) + " or newer"};
  }
  std::vector<std::size_t> on_newest;
  for (const std::size_t i : candidates) {
    if (hosts[i].timeline == newest) on_newest.push_back(i);
  }
  for (const std::size_t i : on_newest) {
    if (i == current) return {current, "the current primary accepts writes"};
  }
  if (on_newest.size() > 1) {
    return {std::nullopt, std::to_string(on_newest.size()) + " hosts accept writes on timeline " +
                              std::to_string(newest) + " (split brain): following none"};
  }
  const std::size_t chosen = on_newest.front();
  assert(!hosts[chosen].in_recovery && !hosts[chosen].error);
  return {chosen,
          "the only host accepting writes on the newest timeline " + std::to_string(newest)};
}

}  // namespace utxoiq::pg
