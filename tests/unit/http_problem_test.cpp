// Problem details: the application/problem+json shape of api.md, every field error listed,
// headers of 401/405/429/503, and how escaped exceptions become responses.
#include <gtest/gtest.h>

#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "http/error_response.hpp"
#include "http/problem.hpp"

namespace utxoiq::http {
namespace {

boost::json::object body_of(const Response& response) {
  return boost::json::parse(response.body).as_object();
}

TEST(Problem, RendersAllMembersAndEveryFieldError) {
  const auto response =
      problem_response(unprocessable({{"rating", "must be an integer from 1 to 5"},
                                      {"metrics[17].metric_value", "must be finite"},
                                      {"user_id", "is required"}}));
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = body_of(response);
  EXPECT_EQ(body.size(), 5u);
  EXPECT_EQ(body.at("type").as_string(), "about:blank");
  EXPECT_EQ(body.at("title").as_string(), "Unprocessable Content");
  EXPECT_EQ(body.at("status").as_int64(), 422);
  EXPECT_EQ(body.at("detail").as_string(), "The request has 3 invalid fields.");
  const auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].at("field").as_string(), "rating");
  EXPECT_EQ(errors[0].at("message").as_string(), "must be an integer from 1 to 5");
  EXPECT_EQ(errors[1].at("field").as_string(), "metrics[17].metric_value");
  EXPECT_EQ(errors[1].at("message").as_string(), "must be finite");
  EXPECT_EQ(errors[2].at("field").as_string(), "user_id");
  EXPECT_EQ(errors[2].as_object().size(), 2u);
}

TEST(Problem, ErrorsIsAnEmptyArrayWithoutFieldErrors) {
  const auto body = body_of(problem_response(not_found("No backfill job with this id.")));
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("title").as_string(), "Not Found");
  EXPECT_EQ(body.at("detail").as_string(), "No backfill job with this id.");
  ASSERT_TRUE(body.at("errors").is_array());
  EXPECT_TRUE(body.at("errors").as_array().empty());
}

TEST(Problem, DetailIsEscapedJson) {
  const auto response = problem_response(bad_request("a \"quoted\"\nline \\ end"));
  EXPECT_EQ(body_of(response).at("detail").as_string(), "a \"quoted\"\nline \\ end");
}

TEST(Problem, SingleFieldHelper) {
  const Problem problem = unprocessable("limit", "must be between 1 and 500");
  EXPECT_EQ(problem.status(), 422);
  ASSERT_EQ(problem.errors().size(), 1u);
  EXPECT_EQ(problem.errors()[0], (FieldError{"limit", "must be between 1 and 500"}));
  EXPECT_EQ(problem.detail(), "The request has an invalid field.");
}

TEST(Problem, StatusesOfTheHelpers) {
  EXPECT_EQ(bad_request("x").status(), 400);
  EXPECT_EQ(unauthorized().status(), 401);
  EXPECT_EQ(forbidden().status(), 403);
  EXPECT_EQ(not_found().status(), 404);
  EXPECT_EQ(method_not_allowed("GET").status(), 405);
  EXPECT_EQ(conflict("x").status(), 409);
  EXPECT_EQ(payload_too_large(1024).status(), 413);
  EXPECT_EQ(request_header_too_large().status(), 431);
  EXPECT_EQ(too_many_requests(3).status(), 429);
  EXPECT_EQ(internal_error().status(), 500);
  EXPECT_EQ(service_unavailable(5).status(), 503);
}

TEST(Problem, HeadersTravelWithTheResponse) {
  const auto limited = problem_response(too_many_requests(7));
  EXPECT_EQ(limited.headers.get("Retry-After"), "7");
  const auto unavailable = problem_response(service_unavailable(0));
  EXPECT_EQ(unavailable.headers.get("retry-after"), "1");  // never 0: at least a second
  EXPECT_EQ(problem_response(method_not_allowed("GET, HEAD")).headers.get("Allow"), "GET, HEAD");
  EXPECT_EQ(problem_response(unauthorized()).headers.get("WWW-Authenticate"), "Bearer");
  EXPECT_NE(
      body_of(problem_response(payload_too_large(1024))).at("detail").as_string().find("1024"),
      boost::json::string::npos);
}

TEST(Problem, EmptyDetailGetsADefaultSentence) {
  const Problem problem(409);
  EXPECT_FALSE(problem.detail().empty());
  EXPECT_STREQ(problem.what(), problem.detail().c_str());
}

TEST(Problem, CustomType) {
  Problem problem(409, "Version 3 expected, 4 stored.");
  problem.with_type("https://utxoiq.dev/problems/version-mismatch", "Version mismatch");
  const auto body = body_of(problem_response(problem));
  EXPECT_EQ(body.at("type").as_string(), "https://utxoiq.dev/problems/version-mismatch");
  EXPECT_EQ(body.at("title").as_string(), "Version mismatch");
}

TEST(ErrorResponse, ProblemIsRenderedAsItIs) {
  Request request;
  const auto response =
      response_for_exception(std::make_exception_ptr(conflict("already completed")), request);
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(body_of(response).at("detail").as_string(), "already completed");
}

TEST(ErrorResponse, OtherExceptionsBecomeA500ThatShowsNothing) {
  Request request;
  request.request_id = "req-1";
  const auto response = response_for_exception(
      std::make_exception_ptr(std::runtime_error("ERROR: syntax error at SELECT password FROM "
                                                 "api_keys; host=db.internal password=hunter2")),
      request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body.find("runtime_error"), std::string::npos);
  EXPECT_EQ(body_of(response).at("status").as_int64(), 500);
}

TEST(ErrorResponse, NonStandardExceptionsToo) {
  Request request;
  const auto response = response_for_exception(std::make_exception_ptr(42), request);
  EXPECT_EQ(response.status, 500);
}

struct DatabaseDown : std::runtime_error {
  DatabaseDown() : std::runtime_error("connection to 10.0.0.5:5432 refused") {}
};

TEST(ErrorResponse, MappersTranslateLowerLayerExceptions) {
  const std::vector<ExceptionMapper> mappers = {
      [](const std::exception&) -> std::optional<Problem> { return std::nullopt; },
      [](const std::exception& e) -> std::optional<Problem> {
        if (dynamic_cast<const DatabaseDown*>(&e)) return service_unavailable(5);
        return std::nullopt;
      }};
  Request request;
  const auto mapped =
      response_for_exception(std::make_exception_ptr(DatabaseDown()), request, mappers);
  EXPECT_EQ(mapped.status, 503);
  EXPECT_EQ(mapped.headers.get("Retry-After"), "5");
  EXPECT_EQ(mapped.body.find("10.0.0.5"), std::string::npos);
  const auto unmapped =
      response_for_exception(std::make_exception_ptr(std::logic_error("bug")), request, mappers);
  EXPECT_EQ(unmapped.status, 500);
}

}  // namespace
}  // namespace utxoiq::http
