#pragma once
// A blocking HTTP/1.1 client for integration tests: one keep-alive connection to 127.0.0.1:PORT,
// reopened when the server closed it. Beast stays in http_client.cpp.
//
//   HttpClient client(service.port());
//   client.set_header("Authorization", "Bearer " + key);
//   auto r = client.post("/api/v1/feedback/rate",
//   R"({"insight_id":"a","user_id":"u","rating":5})"); EXPECT_EQ(r.status, 201);
//   EXPECT_EQ(r.json().at("rating").as_int64(), 5);
#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace utxoiq::testing {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that name (case-insensitive); "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The body parsed as JSON; throws std::runtime_error (with the body) when it is not JSON.
  boost::json::value json() const;
  // The invalid fields of a problem+json body, in order: ["rating", "user_id"].
  std::vector<std::string> error_fields() const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sent with every request (e.g. Authorization); set again to replace, "" to remove.
  void set_header(std::string name, std::string value);

  HttpResponse get(std::string_view target, const HeaderList& headers = {});
  // Content-Type application/json unless `headers` names another.
  HttpResponse post(std::string_view target, std::string_view body, const HeaderList& headers = {});
  HttpResponse post(std::string_view target, const boost::json::value& body,
                    const HeaderList& headers = {});
  HttpResponse del(std::string_view target, const HeaderList& headers = {});
  // Any method ("PUT", "HEAD", ...).
  HttpResponse request(std::string_view method, std::string_view target, std::string_view body,
                       const HeaderList& headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::testing
