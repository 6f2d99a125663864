#pragma once
// Errors as RFC 9457 problem details. A handler or middleware throws a Problem; the server renders
// it as application/problem+json:
//
//   {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
//    "detail": "The request has invalid fields.",
//    "errors": [{"field": "rating", "message": "must be an integer from 1 to 5"}]}
//
// `errors` is always present (empty unless fields were invalid), so clients read one shape.
#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

#include "http/headers.hpp"
#include "http/response.hpp"
#include "util/field_error.hpp"

namespace utxoiq::http {

class Problem : public std::exception {
 public:
  // An empty detail becomes a sentence naming the status.
  explicit Problem(int status, std::string detail = {}, FieldErrors errors = {});

  int status() const noexcept { return status_; }
  // "about:blank" unless set by with_type; its title is then the status phrase.
  const std::string& type() const noexcept { return type_; }
  const std::string& title() const noexcept { return title_; }
  const std::string& detail() const noexcept { return detail_; }
  const FieldErrors& errors() const noexcept { return errors_; }
  // Header fields to send with the problem (Retry-After, Allow, WWW-Authenticate).
  const Headers& headers() const noexcept { return headers_; }

  Problem& with_header(std::string name, std::string value);
  Problem& with_type(std::string type_uri, std::string title);

  // The detail.
  const char* what() const noexcept override { return detail_.c_str(); }

 private:
  int status_;
  std::string type_ = "about:blank";
  std::string title_;
  std::string detail_;
  FieldErrors errors_;
  Headers headers_;
};

// The status phrase of RFC 9110 ("Not Found", "Unprocessable Content"); "Error" when unknown.
std::string_view status_title(int status);

// The problem as a response: status, application/problem+json body, its headers.
Response problem_response(const Problem& problem);

// The problems of api.md's status table. Each returns the Problem for the caller to throw:
//   throw http::not_found("No backfill job with this id.");
Problem bad_request(std::string detail);
Problem unauthorized(std::string detail = "An API key is required.");  // + WWW-Authenticate
Problem forbidden(std::string detail = "The API key's role does not allow this request.");
Problem not_found(std::string detail = "No such resource.");
Problem method_not_allowed(std::string allow);  // allow: "GET, POST"; sent as Allow
Problem conflict(std::string detail);
Problem payload_too_large(std::size_t limit_bytes);
Problem request_header_too_large();
Problem unprocessable(FieldErrors errors, std::string detail = {});
Problem unprocessable(std::string field, std::string message);
// Retry-After is at least 1 second.
Problem too_many_requests(long long retry_after_s, std::string detail = {});  // + Retry-After
Problem internal_error();
Problem service_unavailable(long long retry_after_s, std::string detail = {});  // + Retry-After

}  // namespace utxoiq::http
