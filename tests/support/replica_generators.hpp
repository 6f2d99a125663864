#pragma once
// RapidCheck generators of replica views for the router properties (tests/property/replica_*):
// states, lags (finite and unknown), replay positions, loads and a random draw u in [0, 1).
#include <rapidcheck.h>

#include <limits>
#include <vector>

#include "pg/host_router.hpp"

namespace utxoiq::testing {

inline rc::Gen<double> gen_seconds(double max) {
  return rc::gen::map(rc::gen::inRange<int>(0, static_cast<int>(max * 100) + 1),
                      [](int centis) { return centis / 100.0; });
}

inline rc::Gen<pg::ReplicaLag> gen_lag() {
  return rc::gen::map(
      rc::gen::tuple(
          rc::gen::weightedOneOf<double>(
              {{9, gen_seconds(12)}, {1, rc::gen::just(std::numeric_limits<double>::infinity())}}),
          rc::gen::inRange<std::uint64_t>(0, 1 << 20)),
      [](const std::tuple<double, std::uint64_t>& t) {
        return pg::ReplicaLag{std::get<0>(t), std::get<1>(t)};
      });
}

inline rc::Gen<pg::HostLoad> gen_load() {
  return rc::gen::map(rc::gen::tuple(rc::gen::inRange<int>(1, 5000), rc::gen::inRange<int>(1, 21),
                                     rc::gen::inRange<int>(0, 101)),
                      [](const std::tuple<int, int, int>& t) {
                        const auto pool_max = static_cast<std::size_t>(std::get<1>(t));
                        const auto in_flight = pool_max * std::get<2>(t) / 100;
                        return pg::HostLoad{std::get<0>(t) / 10.0, in_flight, pool_max};
                      });
}

inline rc::Gen<pg::ReplicaView> gen_replica() {
  return rc::gen::map(rc::gen::tuple(rc::gen::element(pg::HostState::up, pg::HostState::up,
                                                      pg::HostState::down, pg::HostState::lagging),
                                     gen_lag(), gen_seconds(2),
                                     rc::gen::inRange<std::uint64_t>(0, 1000), gen_load()),
                      [](const auto& t) {
                        return pg::ReplicaView{std::get<0>(t), std::get<1>(t), std::get<2>(t),
                                               pg::Lsn{std::get<3>(t)}, std::get<4>(t)};
                      });
}

inline rc::Gen<std::vector<pg::ReplicaView>> gen_replicas() {
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 5), [](std::size_t count) {
    return rc::gen::container<std::vector<pg::ReplicaView>>(count, gen_replica());
  });
}

inline rc::Gen<double> gen_u() {
  return rc::gen::map(rc::gen::inRange<int>(0, 1'000'000), [](int n) { return n / 1e6; });
}

inline rc::Gen<pg::StatementRequest> gen_read() {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::arbitrary<bool>(), rc::gen::inRange<std::uint64_t>(0, 1000),
                     rc::gen::arbitrary<bool>()),
      [](const std::tuple<bool, std::uint64_t, bool>& t) {
        pg::StatementRequest read;
        if (std::get<0>(t)) read.key_token = pg::Lsn{std::get<1>(t)};
        read.tokens_complete = std::get<2>(t);
        return read;
      });
}

}  // namespace utxoiq::testing
