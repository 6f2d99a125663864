// The response head the server writes (http/response_head.hpp): status line, fields in order,
// Connection only when it differs from the version's default, Content-Length unless the status
// never has a body, and no way for a field to split the response.
#include <gtest/gtest.h>

#include <string>

#include "http/response_head.hpp"

namespace utxoiq::http {
namespace {

std::string head_of(const Response& response, unsigned version = 11, bool keep_alive = true,
                    std::size_t length = 0) {
  std::string out = "left over from the last response";
  write_response_head({.response = response,
                       .request_id = "req-1",
                       .version = version,
                       .keep_alive = keep_alive,
                       .content_length = length},
                      out);
  return out;
}

TEST(ResponseHead, AJsonAnswerOnAKeptAliveHttp11Connection) {
  Response response = json_text_response(200, R"({"status":"ok"})");
  EXPECT_EQ(head_of(response, 11, true, 15),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "X-Request-Id: req-1\r\n"
            "Content-Length: 15\r\n"
            "\r\n");
}

TEST(ResponseHead, ExtraFieldsComeInTheirOrderAfterContentType) {
  Response response = empty_response(429);
  response.content_type = "application/problem+json";
  response.headers.add("Retry-After", "3");
  response.headers.add("RateLimit-Remaining", "0");
  EXPECT_EQ(head_of(response, 11, true, 2),
            "HTTP/1.1 429 Too Many Requests\r\n"
            "Content-Type: application/problem+json\r\n"
            "Retry-After: 3\r\n"
            "RateLimit-Remaining: 0\r\n"
            "X-Request-Id: req-1\r\n"
            "Content-Length: 2\r\n"
            "\r\n");
}

TEST(ResponseHead, ConnectionIsWrittenOnlyWhenItDiffersFromTheVersionDefault) {
  const Response response = empty_response(200);
  EXPECT_NE(head_of(response, 11, false).find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(head_of(response, 11, true).find("Connection"), std::string::npos);
  EXPECT_EQ(head_of(response, 10, true).rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_NE(head_of(response, 10, true).find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(head_of(response, 10, false).find("Connection"), std::string::npos);
}

TEST(ResponseHead, StatusesWithoutABodyHaveNoContentLength) {
  for (const int status : {100, 204, 304}) {
    EXPECT_EQ(head_of(empty_response(status)).find("Content-Length"), std::string::npos) << status;
  }
  EXPECT_NE(head_of(empty_response(201), 11, true, 0).find("Content-Length: 0\r\n"),
            std::string::npos);
  EXPECT_TRUE(bodiless_status(204));
  EXPECT_FALSE(bodiless_status(200));
}

TEST(ResponseHead, AFieldCannotEndTheHeadOrAddFields) {
  Response response = empty_response(302);
  response.headers.add("Location", "/a\r\n\r\nHTTP/1.1 200 OK\r\nX-Evil: 1");
  const std::string head = head_of(response);
  EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);  // the only empty line ends the head
  EXPECT_EQ(head.find("\r\nX-Evil"), std::string::npos);
  EXPECT_NE(head.find("Location: /a    HTTP/1.1 200 OK  X-Evil: 1\r\n"), std::string::npos);
}

TEST(ResponseHead, TheBufferIsReplacedNotAppendedTo) {
  const std::string head = head_of(empty_response(200));
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

}  // namespace
}  // namespace utxoiq::http
