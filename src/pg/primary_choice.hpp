#pragma once
// Which configured host the service writes to (issue 12, failover): the one host that accepts
// writes, of this cluster, on the newest timeline. Pure, so the rules are property-tested without
// servers; pg/primary_follower.hpp reads the facts and applies the choice.
//
// The rules, and why:
//  - a candidate answered, is not in recovery (accepts writes) and has the cluster's system
//    identifier (a server of another cluster is never written to);
//  - its timeline is at least the one followed last: a promotion increments the timeline, so an
//    old primary that comes back after its replica was promoted is still on the old timeline and
//    is never written to again (its extra commits are on a history the cluster left);
//  - of the candidates on the newest timeline the current host stays chosen (a restart of the
//    primary is not a failover); else the one candidate there is followed;
//  - two hosts accepting writes on the same newest timeline, neither current, is a split brain the
//    service cannot settle: it follows neither and says so.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "pg/host_classification.hpp"

namespace utxoiq::pg {

struct PrimaryChoice {
  std::optional<std::size_t> follow;  // the host to write to; nullopt: none qualifies now
  std::string reason;                 // for the log line
};

// Whether the host behind `facts` may be written to: it answered, is not in recovery, is of the
// cluster (when its identifier is known) and is on `followed_timeline` or newer.
bool accepts_our_writes(const HostFacts& facts, std::uint32_t followed_timeline,
                        std::optional<std::uint64_t> cluster_identifier);

// `hosts[i]` are the facts read on configured host i; `current` is the host written to now;
// `followed_timeline` the newest timeline written to so far; `cluster_identifier` the cluster's
// system identifier (nullopt before any host answered).
PrimaryChoice choose_primary(std::span<const HostFacts> hosts, std::size_t current,
                             std::uint32_t followed_timeline,
                             std::optional<std::uint64_t> cluster_identifier);

}  // namespace utxoiq::pg
