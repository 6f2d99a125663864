// Problem details rendering (see problem.hpp).
#include "http/problem.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "util/json_text.hpp"

namespace utxoiq::http {
namespace {

std::string default_detail(int status) {
  switch (status) {
    case 400:
      return "The request is malformed.";
    case 401:
      return "An API key is required.";
    case 403:
      return "The API key's role does not allow this request.";
    case 404:
      return "No such resource.";
    case 405:
      return "The method is not allowed for this resource.";
    case 409:
      return "The request conflicts with the resource's current state.";
    case 413:
      return "The request body is too large.";
    case 422:
      return "The request has invalid fields.";
    case 429:
      return "Too many requests; retry later.";
    case 500:
      return "An internal error occurred.";
    case 503:
      return "The service is temporarily unavailable; retry later.";
    default:
      return std::string(status_title(status)) + ".";
  }
}

}  // namespace

Problem::Problem(int status, std::string detail, FieldErrors errors)
    : status_(status),
      title_(status_title(status)),
      detail_(detail.empty() ? default_detail(status) : std::move(detail)),
      errors_(std::move(errors)) {}

Problem& Problem::with_header(std::string name, std::string value) {
  headers_.set(name, std::move(value));
  return *this;
}

Problem& Problem::with_type(std::string type_uri, std::string title) {
  type_ = std::move(type_uri);
  title_ = std::move(title);
  return *this;
}

std::string_view status_title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

Response problem_response(const Problem& problem) {
  boost::json::array errors;
  errors.reserve(problem.errors().size());
  for (const auto& error : problem.errors()) {
    errors.push_back(boost::json::object{{"field", error.field}, {"message", error.message}});
  }
  const boost::json::object body{{"type", problem.type()},
                                 {"title", problem.title()},
                                 {"status", problem.status()},
                                 {"detail", problem.detail()},
                                 {"errors", std::move(errors)}};
  Response response;
  response.status = problem.status();
  response.content_type = std::string(kProblemContentType);
  response.body = to_json_text(body);
  response.headers = problem.headers();
  return response;
}

Problem bad_request(std::string detail) {
  return Problem(400, std::move(detail));
}

Problem unauthorized(std::string detail) {
  return std::move(Problem(401, std::move(detail)).with_header("WWW-Authenticate", "Bearer"));
}

Problem forbidden(std::string detail) {
  return Problem(403, std::move(detail));
}

Problem not_found(std::string detail) {
  return Problem(404, std::move(detail));
}

Problem method_not_allowed(std::string allow) {
  return std::move(Problem(405).with_header("Allow", std::move(allow)));
}

Problem conflict(std::string detail) {
  return Problem(409, std::move(detail));
}

Problem payload_too_large(std::size_t limit_bytes) {
  return Problem(413, "The request body is larger than this endpoint's limit of " +
                          std::to_string(limit_bytes) + " bytes.");
}

Problem request_header_too_large() {
  return Problem(431, "The request's header fields are too large.");
}

Problem unprocessable(FieldErrors errors, std::string detail) {
  if (detail.empty() && errors.size() == 1) {
    detail = "The request has an invalid field.";
  } else if (detail.empty() && errors.size() > 1) {
    detail = "The request has " + std::to_string(errors.size()) + " invalid fields.";
  }
  return Problem(422, std::move(detail), std::move(errors));
}

Problem unprocessable(std::string field, std::string message) {
  return unprocessable(FieldErrors{{std::move(field), std::move(message)}});
}

Problem too_many_requests(long long retry_after_s, std::string detail) {
  return std::move(Problem(429, std::move(detail))
                       .with_header("Retry-After", std::to_string(std::max(retry_after_s, 1LL))));
}

Problem internal_error() {
  return Problem(500);
}

Problem service_unavailable(long long retry_after_s, std::string detail) {
  return std::move(Problem(503, std::move(detail))
                       .with_header("Retry-After", std::to_string(std::max(retry_after_s, 1LL))));
}

}  // namespace utxoiq::http
