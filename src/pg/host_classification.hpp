#pragma once
// What a configured database host turned out to be, decided from facts read on it: the primary
// (not in recovery), a replica (in recovery), a server of another cluster (its system identifier,
// from pg_control_system(), differs from the primary's: pg_basebackup copies the identifier, so
// the primary and all its replicas share it, and any other cluster has another), or unreachable.
// Pure, so the router's exclusion rules are unit-tested without servers; host_probe.hpp reads the
// facts. Every result carries a reason meant for the log line that excludes a host.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq::pg {

enum class HostRole { kPrimary, kReplica, kOtherCluster, kUnreachable };

std::string_view to_string(HostRole role);  // "primary", "replica", "other_cluster", ...

// Read on the host (host_probe.hpp). When `error` is set nothing else is known.
struct HostFacts {
  std::optional<std::string> error;  // why it could not be reached or read
  bool in_recovery = false;          // pg_is_in_recovery()
  std::uint64_t system_identifier = 0;
  std::uint32_t timeline = 0;  // pg_control_checkpoint().timeline_id: a promotion increments it
};

struct HostClassification {
  HostRole role = HostRole::kUnreachable;
  std::string reason;
};

// `cluster_identifier`: the primary's system identifier, when known; without it any reachable
// host is judged by pg_is_in_recovery() alone.
HostClassification classify_host(const HostFacts& facts,
                                 std::optional<std::uint64_t> cluster_identifier);

// For a host configured as a read replica: nullopt when it may serve reads, else why it is
// excluded (a primary given as a replica, another cluster's server, an unreachable host).
std::optional<std::string> replica_exclusion(const HostClassification& host);

}  // namespace utxoiq::pg
