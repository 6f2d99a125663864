// UUID parsing/formatting and version 7 generation (RFC 9562).
#include "util/uuid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace utxoiq {
namespace {

TEST(UuidParse, AcceptsCanonicalFormInAnyCaseAndFormatsLowercase) {
  const char* inputs[] = {
      "0192f0c4-5b7a-7cde-8f01-23456789abcd",
      "0192F0C4-5B7A-7CDE-8F01-23456789ABCD",
      "0192f0C4-5b7A-7CdE-8F01-23456789aBcD",
  };
  for (const char* text : inputs) {
    const auto id = Uuid::parse(text);
    ASSERT_TRUE(id.has_value()) << text;
    EXPECT_EQ(id->to_string(), "0192f0c4-5b7a-7cde-8f01-23456789abcd") << text;
  }
}

TEST(UuidParse, AcceptsAnyVersionAndTheNilUuid) {
  const auto v4 = Uuid::parse("f47ac10b-58cc-4372-a567-0e02b2c3d479");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->version(), 4);
  EXPECT_TRUE(v4->is_rfc_variant());
  const auto nil = Uuid::parse("00000000-0000-0000-0000-000000000000");
  ASSERT_TRUE(nil);
  EXPECT_EQ(nil->version(), 0);
  EXPECT_EQ(*nil, Uuid{});
}

TEST(UuidParse, RejectsEverythingButTheCanonicalForm) {
  const char* inputs[] = {
      "",
      "not-a-uuid",
      "0192f0c45b7a7cde8f0123456789abcd",        // no dashes
      "0192f0c4-5b7a-7cde-8f01-23456789abc",     // one digit short
      "0192f0c4-5b7a-7cde-8f01-23456789abcde",   // one digit long
      "0192f0c4-5b7a7-cde-8f01-23456789abcd",    // dash misplaced
      "0192f0c4_5b7a_7cde_8f01_23456789abcd",    // wrong separator
      "0192f0g4-5b7a-7cde-8f01-23456789abcd",    // not hex
      "{0192f0c4-5b7a-7cde-8f01-23456789abcd}",  // braces
      "urn:uuid:0192f0c4-5b7a-7cde-8f01-23456789abcd",
      " 0192f0c4-5b7a-7cde-8f01-23456789abc",
      "0192f0c4-5b7a-7cde-8f01-23456789abc ",
  };
  for (const char* text : inputs) EXPECT_FALSE(Uuid::parse(text).has_value()) << text;
}

TEST(UuidV7, HasVersionSevenTheRfcVariantAndTheCurrentTime) {
  const auto before = std::chrono::floor<std::chrono::milliseconds>(now_utc());
  const Uuid id = new_uuid_v7();
  const auto after = std::chrono::floor<std::chrono::milliseconds>(now_utc());
  EXPECT_EQ(id.version(), 7);
  EXPECT_TRUE(id.is_rfc_variant());
  const auto ms = static_cast<std::int64_t>(id.v7_unix_ms());
  EXPECT_GE(ms, before.time_since_epoch().count());
  EXPECT_LE(ms, after.time_since_epoch().count());
  // The text form shows the same bits: version digit and variant digit.
  const std::string text = id.to_string();
  EXPECT_EQ(text[14], '7');
  EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;
  EXPECT_EQ(Uuid::parse(text), id);
}

TEST(UuidV7, AtAGivenTimeCarriesThatMillisecond) {
  const Timestamp at = from_unix_micros(1'795'000'000'123'456);  // 2026-11-18
  const Uuid id = new_uuid_v7_at(at);
  EXPECT_EQ(id.v7_unix_ms(), 1'795'000'000'123u);
  EXPECT_EQ(id.version(), 7);
  EXPECT_TRUE(id.is_rfc_variant());
}

TEST(UuidV7, IsStrictlyIncreasingWithinAThreadAndAsText) {
  std::vector<Uuid> ids;
  ids.reserve(20'000);
  for (int i = 0; i < 20'000; ++i) ids.push_back(new_uuid_v7());
  for (std::size_t i = 1; i < ids.size(); ++i) {
    ASSERT_LT(ids[i - 1], ids[i]) << i;
    // Lowercase hex sorts like the bytes, so the database's text or uuid order agrees.
    ASSERT_LT(ids[i - 1].to_string(), ids[i].to_string()) << i;
  }
}

TEST(UuidV7, IsUniqueAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5'000;
  std::vector<std::vector<Uuid>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kPerThread; ++i) made[t].push_back(new_uuid_v7());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<Uuid> all;
  for (const auto& ids : made) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace utxoiq
