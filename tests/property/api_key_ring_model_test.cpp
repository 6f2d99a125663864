// ApiKeyRing under random sequences of reloads, additions, lookups and misses, against a simple
// model (a map of the keys most recently loaded or added):
//  - find answers exactly what the model holds (role and id), nothing for anything else;
//  - the remembered misses never exceed max_negative, whatever the number of random keys;
//  - lookups granted to unknown hashes never exceed max_lookups_per_second in any one-second
//    budget window, and a hash that missed is not granted again within negative_ttl.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "api/api_key_ring.hpp"
#include "domain/api_key.hpp"

namespace utxoiq::api {
namespace {

using namespace std::chrono_literals;
using Clock = ApiKeyRing::Clock;

const std::vector<std::string> kRoles{"reader", "writer", "admin", "bogus"};

struct Step {
  int kind;                 // 0 reload, 1 add, 2 look up (and maybe miss)
  int key;                  // which of a small key space (so keys recur)
  int role;                 // index into kRoles
  int gap_ms;               // time since the previous step
  std::vector<int> reload;  // keys of a reload
};

std::ostream& operator<<(std::ostream& os, const Step& s) {
  return os << "{kind " << s.kind << " key " << s.key << " role " << s.role << " +" << s.gap_ms
            << "ms}";
}

rc::Gen<Step> gen_step() {
  return rc::gen::apply(
      [](int kind, int key, int role, int gap, std::vector<int> reload) {
        return Step{kind, key, role, gap, std::move(reload)};
      },
      rc::gen::inRange(0, 3), rc::gen::inRange(0, 40), rc::gen::inRange(0, 4),
      rc::gen::inRange(0, 400), rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 40)));
}

store::ActiveApiKey key_of(int key, int role) {
  Uuid id{};
  id.bytes[15] = static_cast<std::uint8_t>(key);
  id.bytes[14] = static_cast<std::uint8_t>(role);
  return {id, domain::api_key_hash("key-" + std::to_string(key)),
          kRoles[static_cast<std::size_t>(role)]};
}

RC_GTEST_PROP(ApiKeyRingModel, AgreesWithAMapAndStaysBounded, ()) {
  const auto steps = *rc::gen::container<std::vector<Step>>(gen_step());
  const ApiKeyRing::Options options{
      .max_negative = 8, .negative_ttl = 1s, .max_lookups_per_second = 5};
  ApiKeyRing ring(options);
  std::map<std::string, std::pair<std::string, http::Role>> model;  // hash -> (id, role)
  std::map<std::string, Clock::time_point> missed_at;
  auto now = Clock::time_point{} + 1h;
  std::vector<Clock::time_point> grants;

  const auto put = [&](const store::ActiveApiKey& key) {
    if (const auto role = http::parse_role(key.role)) {
      model[key.key_hash] = {key.id.to_string(), *role};
    }
  };

  for (const auto& step : steps) {
    now += std::chrono::milliseconds(step.gap_ms);
    if (step.kind == 0) {
      std::vector<store::ActiveApiKey> keys;
      model.clear();
      for (const int k : step.reload) {
        keys.push_back(key_of(k, (k + step.role) % 4));
        put(keys.back());
      }
      ring.replace(keys);
    } else if (step.kind == 1) {
      const auto key = key_of(step.key, step.role);
      ring.add(key);
      put(key);
      // add() forgets the key as a miss (it exists now): if a reload drops it again, its next
      // miss may be looked up at once, within the per-second budget.
      missed_at.erase(key.key_hash);
    } else {
      const std::string hash = domain::api_key_hash("key-" + std::to_string(step.key));
      if (!ring.find(hash)) {
        const bool granted = ring.may_look_up(hash, now);
        if (granted) {
          grants.push_back(now);
          // Computed first: RC_ASSERT decomposes its expression, so || would not short-circuit.
          const auto it = missed_at.find(hash);
          const bool ttl_respected =
              it == missed_at.end() || now - it->second >= options.negative_ttl;
          RC_ASSERT(ttl_respected);
          ring.note_miss(hash, now);
          missed_at[hash] = now;
        }
      }
    }
    RC_ASSERT(ring.remembered_misses() <= options.max_negative);
    RC_ASSERT(ring.size() == model.size());
    for (const auto& [hash, expected] : model) {
      const auto found = ring.find(hash);
      RC_ASSERT(found.has_value());
      RC_ASSERT(found->key_id == expected.first);
      RC_ASSERT(found->role == expected.second);
    }
  }
  // No window of one second starting at a grant holds more grants than the budget allows twice
  // over (the budget window is fixed, so two adjacent windows may each be full).
  for (std::size_t i = 0; i < grants.size(); ++i) {
    std::size_t in_window = 0;
    for (std::size_t j = i; j < grants.size() && grants[j] - grants[i] < 1s; ++j) ++in_window;
    RC_ASSERT(in_window <= static_cast<std::size_t>(2 * options.max_lookups_per_second));
  }
}

}  // namespace
}  // namespace utxoiq::api
