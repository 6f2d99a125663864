// Request bodies as JSON objects, with arrays bounded while parsing: 10,000 elements pass, the
// 10,001st stops the parse with 422 naming the top-level field, and a hostile 16 MiB array of
// zeros is refused after its first 10,001 elements, whatever follows them (even invalid JSON).
#include <gtest/gtest.h>

#include <string>

#include "http/json_body.hpp"
#include "http/problem.hpp"

namespace utxoiq::http {
namespace {

std::string zeros(std::size_t count) {
  std::string out = "[";
  for (std::size_t i = 0; i < count; ++i) out += i == 0 ? "0" : ",0";
  return out + "]";
}

Problem problem_of(const std::string& body) {
  try {
    parse_json_object(make_request(Method::post, "/x", body));
  } catch (const Problem& problem) {
    return problem;
  }
  ADD_FAILURE() << "accepted: " << body.substr(0, 80);
  return Problem(200);
}

TEST(JsonBody, ArraysUpToTheLimitParse) {
  const auto object =
      parse_json_object(make_request(Method::post, "/x", "{\"metrics\":" + zeros(10'000) + "}"));
  EXPECT_EQ(object.at("metrics").as_array().size(), 10'000u);
}

TEST(JsonBody, TheElementPastTheLimitIs422NamingTheField) {
  const Problem problem = problem_of("{\"a\":1,\"metrics\":" + zeros(10'001) + "}");
  EXPECT_EQ(problem.status(), 422);
  ASSERT_EQ(problem.errors().size(), 1u);
  EXPECT_EQ(problem.errors().front().field, "metrics");
}

TEST(JsonBody, AHostileBodyIsRefusedWithoutBeingParsedWhole) {
  // 16 MiB of zeros, and garbage after them that a whole parse would report as invalid JSON.
  std::string body = "{\"metrics\":[0";
  while (body.size() < (16u << 20)) body += ",0";
  body += "garbage";
  EXPECT_EQ(problem_of(body).status(), 422);
}

TEST(JsonBody, NestedArraysAreBoundedToo) {
  EXPECT_EQ(problem_of("{\"metrics\":[{\"metadata\":{\"x\":" + zeros(10'001) + "}}]}").status(),
            422);
}

TEST(JsonBody, ATopLevelArrayIsStill400) {
  EXPECT_EQ(problem_of(zeros(3)).status(), 400);
  EXPECT_EQ(problem_of(zeros(20'000)).status(), 400);
}

}  // namespace
}  // namespace utxoiq::http
