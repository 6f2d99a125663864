// ApiKeyRing: the in-memory keys behind authentication — lookups after a reload, revoked keys
// gone after the next reload, unknown roles ignored, the miss path limited per hash and per
// second, bounded memory for misses, and the set of used keys for the batched last_used_at.
#include <gtest/gtest.h>

#include <algorithm>

#include "api/api_key_ring.hpp"
#include "domain/api_key.hpp"

namespace utxoiq::api {
namespace {

using namespace std::chrono_literals;
using Clock = ApiKeyRing::Clock;

store::ActiveApiKey key(const std::string& text, const std::string& role) {
  return {new_uuid_v7(), domain::api_key_hash(text), role};
}

TEST(ApiKeyRing, FindsTheKeysOfTheLastReload) {
  ApiKeyRing ring;
  const auto reader = key("r", "reader");
  const auto admin = key("a", "admin");
  ring.replace({reader, admin});
  ASSERT_TRUE(ring.find(reader.key_hash));
  EXPECT_EQ(ring.find(reader.key_hash)->role, http::Role::reader);
  EXPECT_EQ(ring.find(reader.key_hash)->key_id, reader.id.to_string());
  EXPECT_EQ(ring.find(admin.key_hash)->role, http::Role::admin);
  EXPECT_FALSE(ring.find(domain::api_key_hash("other")));

  // A reload without the admin key (revoked) drops it.
  ring.replace({reader});
  EXPECT_FALSE(ring.find(admin.key_hash));
  EXPECT_TRUE(ring.find(reader.key_hash));
  EXPECT_EQ(ring.size(), 1u);
}

TEST(ApiKeyRing, KeysWithAnUnknownRoleAreIgnored) {
  ApiKeyRing ring;
  const auto odd = key("x", "superuser");
  ring.replace({odd});
  EXPECT_FALSE(ring.find(odd.key_hash));
  ring.add(odd);
  EXPECT_FALSE(ring.find(odd.key_hash));
}

TEST(ApiKeyRing, AHashThatMissedIsNotLookedUpAgainForAWhile) {
  ApiKeyRing ring({.max_negative = 100, .negative_ttl = 3s, .max_lookups_per_second = 100});
  const auto t0 = Clock::now();
  const std::string hash = domain::api_key_hash("unknown");
  EXPECT_TRUE(ring.may_look_up(hash, t0));
  ring.note_miss(hash, t0);
  EXPECT_FALSE(ring.may_look_up(hash, t0 + 1s));
  EXPECT_FALSE(ring.may_look_up(hash, t0 + 2999ms));
  EXPECT_TRUE(ring.may_look_up(hash, t0 + 3s));
  // Another hash is not affected.
  EXPECT_TRUE(ring.may_look_up(domain::api_key_hash("another"), t0 + 1s));
}

TEST(ApiKeyRing, AKeyFoundByAMissLookupIsKnownFromThenOn) {
  ApiKeyRing ring;
  const auto fresh = key("fresh", "writer");
  ring.note_miss(fresh.key_hash, Clock::now());
  ring.add(fresh);
  EXPECT_EQ(ring.find(fresh.key_hash)->role, http::Role::writer);
  EXPECT_EQ(ring.remembered_misses(), 0u);
}

TEST(ApiKeyRing, LookupsOfUnknownHashesAreLimitedPerSecond) {
  ApiKeyRing ring({.max_negative = 1000, .negative_ttl = 3s, .max_lookups_per_second = 5});
  const auto t0 = Clock::now();
  int allowed = 0;
  for (int i = 0; i < 50; ++i) {
    if (ring.may_look_up(domain::api_key_hash("random " + std::to_string(i)), t0 + 10ms * i / 50)) {
      ++allowed;
    }
  }
  EXPECT_EQ(allowed, 5);
  EXPECT_TRUE(ring.may_look_up(domain::api_key_hash("later"), t0 + 1s));
}

TEST(ApiKeyRing, RememberedMissesAreBounded) {
  ApiKeyRing ring({.max_negative = 64, .negative_ttl = 3s, .max_lookups_per_second = 1000});
  const auto t0 = Clock::now();
  for (int i = 0; i < 1000; ++i) {
    ring.note_miss(domain::api_key_hash("random " + std::to_string(i)), t0 + 1ms * i);
    ASSERT_LE(ring.remembered_misses(), 64u);
  }
}

TEST(ApiKeyRing, UsedKeysAreTakenOnceEach) {
  ApiKeyRing ring;
  ring.mark_used("a");
  ring.mark_used("b");
  ring.mark_used("a");
  auto used = ring.take_used();
  std::sort(used.begin(), used.end());
  EXPECT_EQ(used, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(ring.take_used().empty());
}

}  // namespace
}  // namespace utxoiq::api
