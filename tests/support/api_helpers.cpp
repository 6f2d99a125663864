// See api_helpers.hpp.
#include "support/api_helpers.hpp"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <stdexcept>

#include "domain/api_key.hpp"
#include "pg/blocking_connection.hpp"
#include "store/api_key_admin.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {

namespace {

boost::json::object expect_status(const HttpResponse& response, int status,
                                  const std::string& what) {
  if (response.status != status) {
    throw std::runtime_error(what + " answered " + std::to_string(response.status) +
                             " instead of " + std::to_string(status) + ": " + response.body);
  }
  return response.json().as_object();
}

}  // namespace

boost::json::object start_job(HttpClient& client, const std::string& job_type,
                              std::int64_t start_block, std::int64_t end_block) {
  const boost::json::object body{
      {"job_type", job_type}, {"start_block", start_block}, {"end_block", end_block}};
  return expect_status(client.post("/api/v1/monitoring/backfill/start", body), 201,
                       "backfill/start");
}

boost::json::object post_ok(HttpClient& client, const std::string& target,
                            const boost::json::object& body, int status) {
  return expect_status(client.post(target, body), status, "POST " + target);
}

boost::json::object get_ok(HttpClient& client, const std::string& target) {
  return expect_status(client.get(target), 200, "GET " + target);
}

std::string scrape_after_traffic(HttpClient& client) {
  post_ok(client, "/api/v1/feedback/rate", {{"insight_id", "i"}, {"user_id", "u"}, {"rating", 4}},
          201);
  for (int i = 0; i < 2; ++i) get_ok(client, "/api/v1/feedback/stats?insight_id=i");
  get_ok(client, "/api/v1/feedback?insight_id=i");
  post_ok(client, "/api/v1/monitoring/metrics",
          {{"service_name", "s"}, {"metric_type", "t"}, {"metric_value", 1}, {"unit", "u"}}, 201);
  expect_status(client.get("/no/such/route"), 404, "GET /no/such/route");
  const auto scrape = client.get("/metrics");
  if (scrape.status != 200)
    throw std::runtime_error("GET /metrics answered " + std::to_string(scrape.status));
  return scrape.body;
}

CreatedKey create_api_key(const std::string& database_url, const std::string& role) {
  pg::BlockingConnection connection(database_url);
  const std::string key = domain::generate_api_key();
  const auto record = store::insert_api_key(connection, new_uuid_v7(), domain::api_key_hash(key),
                                            role, "test " + role);
  return {record.id, key};
}

void revoke_api_key(const std::string& database_url, const std::string& id) {
  pg::BlockingConnection connection(database_url);
  const auto parsed = Uuid::parse(id);
  if (!parsed) throw std::invalid_argument("not a key id: " + id);
  store::revoke_api_key(connection, *parsed);
}

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace utxoiq::testing
