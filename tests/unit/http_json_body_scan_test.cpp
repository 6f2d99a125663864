// The array bound applied while a body is read: a body is refused at the read that shows its
// 10,001st array element (with the 422 or 400 of the full parse), small bodies are not scanned,
// and anything the bound does not cover (invalid JSON, a complete value) is left to the parse.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "http/json_body.hpp"
#include "http/json_body_scan.hpp"
#include "http/problem.hpp"

namespace utxoiq::http {
namespace {

std::string zeros(std::size_t count) {
  std::string out = "[0";
  for (std::size_t i = 1; i < count; ++i) out += ",0";
  return out + "]";
}

// Feeds `body` to a scan in reads of `chunk` bytes; the problem it throws and the bytes read then.
struct Outcome {
  std::optional<Problem> problem;
  std::size_t read = 0;
};
Outcome scan_in_reads(const std::string& body, std::size_t chunk) {
  JsonBodyScan scan;
  Outcome outcome;
  while (outcome.read < body.size()) {
    outcome.read = std::min(body.size(), outcome.read + chunk);
    try {
      scan.seen(std::string_view(body).substr(0, outcome.read));
    } catch (const Problem& problem) {
      outcome.problem = problem;
      return outcome;
    }
  }
  return outcome;
}

TEST(JsonBodyScan, AHostileBodyIsRefusedLongBeforeItsEnd) {
  std::string body = "{\"metrics\":[0";
  while (body.size() < (16u << 20)) body += ",0";
  body += "]}";
  const Outcome outcome = scan_in_reads(body, 8192);
  ASSERT_TRUE(outcome.problem);
  EXPECT_EQ(outcome.problem->status(), 422);
  ASSERT_EQ(outcome.problem->errors().size(), 1u);
  EXPECT_EQ(outcome.problem->errors().front().field, "metrics");
  EXPECT_LE(outcome.read, kJsonScanFrom + 8192);
}

TEST(JsonBodyScan, ItsVerdictIsTheFullParsesWhateverTheReadSize) {
  // Long keys and values so the body passes kJsonScanFrom and keys are split between reads.
  const std::string pad(40'000, 'x');
  const std::string body = "{\"" + pad + "\":\"" + pad + "\",\"a\\u0062\":" + zeros(10'001) + "}";
  for (const std::size_t chunk : {1u, 7u, 4096u, 100'000u}) {
    const Outcome outcome = scan_in_reads(body, chunk);
    ASSERT_TRUE(outcome.problem) << chunk;
    EXPECT_EQ(outcome.problem->status(), 422);
    EXPECT_EQ(outcome.problem->errors().front().field, "ab") << chunk;
  }
  try {
    parse_json_object(make_request(Method::post, "/x", body));
    ADD_FAILURE() << "accepted";
  } catch (const Problem& problem) {
    EXPECT_EQ(problem.errors().front().field, "ab");
  }
}

TEST(JsonBodyScan, AHugeTopLevelArrayIs400) {
  const Outcome outcome = scan_in_reads(zeros(50'000), 8192);
  ASSERT_TRUE(outcome.problem);
  EXPECT_EQ(outcome.problem->status(), 400);
}

TEST(JsonBodyScan, BodiesWithinTheBoundPass) {
  std::string body = "{\"metrics\":" + zeros(10'000);
  for (const char* key : {"b", "c", "d"}) body += ",\"" + std::string(key) + "\":" + zeros(10'000);
  body += "}";
  ASSERT_GT(body.size(), kJsonScanFrom);
  EXPECT_FALSE(scan_in_reads(body, 8192).problem);
}

TEST(JsonBodyScan, SmallBodiesAreNotScanned) {
  // Under kJsonScanFrom the bound is the full parse's alone.
  const std::string body = "{\"metrics\":" + zeros(10'001) + "}";
  ASSERT_LT(body.size(), kJsonScanFrom);
  EXPECT_FALSE(scan_in_reads(body, 8192).problem);
}

TEST(JsonBodyScan, InvalidJsonAndDataAfterTheValueAreLeftToTheParse) {
  std::string invalid = "{\"metrics\": nope" + std::string(kJsonScanFrom, ' ') + zeros(10'001);
  EXPECT_FALSE(scan_in_reads(invalid, 8192).problem);
  std::string after = "{}" + std::string(kJsonScanFrom, ' ') + zeros(10'001);
  EXPECT_FALSE(scan_in_reads(after, 8192).problem);
}

}  // namespace
}  // namespace utxoiq::http
