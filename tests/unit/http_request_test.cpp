// Request basics: target parsing (decoded path, raw and decoded query), case-insensitive headers,
// path parameters, the X-Request-Id rule and JSON object bodies.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/request.hpp"
#include "http/request_id.hpp"

namespace utxoiq::http {
namespace {

TEST(RequestTarget, SplitsAndDecodesPathAndQuery) {
  const auto request =
      make_request(Method::get, "/api/v1/feed%20back?insight_id=a%20b&limit=5&flag&empty=");
  EXPECT_EQ(request.target, "/api/v1/feed%20back?insight_id=a%20b&limit=5&flag&empty=");
  EXPECT_EQ(request.path, "/api/v1/feed back");
  EXPECT_EQ(request.raw_query, "insight_id=a%20b&limit=5&flag&empty=");
  EXPECT_EQ(request.query("insight_id"), "a b");
  EXPECT_EQ(request.query("limit"), "5");
  EXPECT_EQ(request.query("flag"), "");
  EXPECT_EQ(request.query("empty"), "");
  EXPECT_FALSE(request.query("missing").has_value());
}

TEST(RequestTarget, PlusStaysAPlus) {
  const auto request = make_request(Method::get, "/m?from=2026-01-01T00:00:00+00:00&to=x%2By");
  EXPECT_EQ(request.query("from"), "2026-01-01T00:00:00+00:00");
  EXPECT_EQ(request.query("to"), "x+y");
}

TEST(RequestTarget, RepeatedParameters) {
  const auto request = make_request(Method::get, "/x?id=1&id=2&other=3");
  EXPECT_EQ(request.query("id"), "1");
  const auto all = request.query_all("id");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1], "2");
  EXPECT_EQ(request.query_params.size(), 3u);
}

TEST(RequestTarget, NoQuery) {
  const auto request = make_request(Method::get, "/healthz");
  EXPECT_EQ(request.path, "/healthz");
  EXPECT_TRUE(request.raw_query.empty());
  EXPECT_TRUE(request.query_params.empty());
}

TEST(RequestTarget, InvalidTargetsAreBadRequests) {
  for (const char* target : {"no-slash", "/a b", "/x?q=%zz", "http://host/x", "/x#frag", "*"}) {
    try {
      make_request(Method::get, target);
      ADD_FAILURE() << target << " was accepted";
    } catch (const Problem& problem) {
      EXPECT_EQ(problem.status(), 400) << target;
    }
  }
}

TEST(RequestHeaders, LookupIgnoresCase) {
  Request request;
  request.headers.add("Content-Type", "application/json");
  request.headers.add("X-API-Key", "k1");
  request.headers.add("x-api-key", "k2");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("X-Api-Key"), "k1");  // the first of that name
  EXPECT_FALSE(request.header("Authorization").has_value());
  request.headers.set("X-API-KEY", "k3");
  EXPECT_EQ(request.headers.size(), 2u);
  EXPECT_EQ(request.header("x-api-key"), "k3");
  request.headers.erase("CONTENT-TYPE");
  EXPECT_FALSE(request.header("Content-Type").has_value());
}

TEST(RequestParams, NamedParameters) {
  Request request;
  request.path_params = {{"job_id", "j-1"}};
  EXPECT_EQ(request.param("job_id"), "j-1");
  EXPECT_EQ(request.find_param("job_id"), "j-1");
  EXPECT_FALSE(request.find_param("user_id").has_value());
  EXPECT_THROW(request.param("user_id"), std::out_of_range);
}

TEST(RequestId, ValidIdsAreEchoed) {
  EXPECT_EQ(resolve_request_id("abc-123-XYZ"), "abc-123-XYZ");
  EXPECT_EQ(resolve_request_id("a"), "a");
  const std::string longest(128, 'a');
  EXPECT_EQ(resolve_request_id(longest), longest);
}

TEST(RequestId, InvalidIdsAreReplaced) {
  const std::string too_long(129, 'a');
  for (const std::string& bad :
       {std::string(), too_long, std::string("has space"), std::string("under_score"),
        std::string("semi;colon"), std::string("dot.ted"), std::string("new\nline"),
        std::string("caf\xC3\xA9")}) {
    const auto id = resolve_request_id(bad);
    EXPECT_NE(id, bad);
    EXPECT_TRUE(is_valid_request_id(id)) << id;
  }
  const auto absent = resolve_request_id(std::nullopt);
  EXPECT_TRUE(is_valid_request_id(absent));
}

TEST(RequestId, NewIdsAreUuidV4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = new_request_id();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[13], '-');
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
    EXPECT_TRUE(is_valid_request_id(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

int status_of_parsing(std::string body) {
  Request request;
  request.body = std::move(body);
  try {
    parse_json_object(request);
    return 200;
  } catch (const Problem& problem) {
    return problem.status();
  }
}

TEST(JsonBody, NonObjectsAreBadRequests) {
  EXPECT_EQ(status_of_parsing(""), 400);
  EXPECT_EQ(status_of_parsing("  \n"), 400);
  EXPECT_EQ(status_of_parsing("null"), 400);
  EXPECT_EQ(status_of_parsing("[]"), 400);
  EXPECT_EQ(status_of_parsing("[{\"a\":1}]"), 400);
  EXPECT_EQ(status_of_parsing("12.5"), 400);
  EXPECT_EQ(status_of_parsing("\"text\""), 400);
  EXPECT_EQ(status_of_parsing("true"), 400);
  EXPECT_EQ(status_of_parsing("{"), 400);
  EXPECT_EQ(status_of_parsing("{\"a\":1} trailing"), 400);
  EXPECT_EQ(status_of_parsing("{'a':1}"), 400);
  EXPECT_EQ(status_of_parsing("{\"a\":\"\xFF\"}"), 400);  // not UTF-8
}

TEST(JsonBody, ObjectIsReturned) {
  Request request;
  request.body = R"( {"rating": 5, "user_id": "u1", "extra": {"ignored": true}} )";
  const auto object = parse_json_object(request);
  EXPECT_EQ(object.at("rating").as_int64(), 5);
  EXPECT_EQ(object.at("user_id").as_string(), "u1");
  EXPECT_EQ(object.size(), 3u);
  request.body = "{}";
  EXPECT_TRUE(parse_json_object(request).empty());
}

TEST(JsonBody, DetailNamesWhatWasFound) {
  Request request;
  request.body = "[1]";
  try {
    parse_json_object(request);
    FAIL();
  } catch (const Problem& problem) {
    EXPECT_NE(std::string(problem.detail()).find("array"), std::string::npos);
  }
}

}  // namespace
}  // namespace utxoiq::http
