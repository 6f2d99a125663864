// Host classification rules; see host_classification.hpp.
#include "pg/host_classification.hpp"

#include <cassert>

namespace utxoiq::pg {

std::string_view to_string(HostRole role) {
  switch (role) {
    case HostRole::kPrimary:
      return "primary";
    case HostRole::kReplica:
      return "replica";
    case HostRole::kOtherCluster:
      return "other_cluster";
    case HostRole::kUnreachable:
      return "unreachable";
  }
  assert(false && "unknown HostRole");
  return "unknown";
}

HostClassification classify_host(const HostFacts& facts,
                                 std::optional<std::uint64_t> cluster_identifier) {
  if (facts.error) return {HostRole::kUnreachable, "unreachable: " + *facts.error};
  const std::string identity = "system identifier " + std::to_string(facts.system_identifier) +
                               ", timeline " + std::to_string(facts.timeline);
  if (cluster_identifier && facts.system_identifier != *cluster_identifier) {
    return {HostRole::kOtherCluster,
            "another cluster: " + identity + ", but the primary's system identifier is " +
                std::to_string(*cluster_identifier) + " (not a replica of this primary)"};
  }
  if (facts.in_recovery) return {HostRole::kReplica, "replica (in recovery), " + identity};
  return {HostRole::kPrimary, "primary (not in recovery), " + identity};
}

std::optional<std::string> replica_exclusion(const HostClassification& host) {
  switch (host.role) {
    case HostRole::kReplica:
      return std::nullopt;
    case HostRole::kPrimary:
      return "configured as a replica but is a primary (not in recovery): " + host.reason;
    case HostRole::kOtherCluster:
    case HostRole::kUnreachable:
      return host.reason;
  }
  assert(false && "unknown HostRole");
  return host.reason;
}

}  // namespace utxoiq::pg
