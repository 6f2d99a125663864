#pragma once
// Helpers for the HTTP-level tests of the backfill, feedback and key endpoints: making the data a
// test needs through the API, making API keys the way `keys create` does, and looking at the
// tables directly (to check what was, or was not, written).
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "support/http_client.hpp"
#include "support/sql_probe.hpp"

namespace utxoiq::testing {

// POST /backfill/start; throws std::runtime_error unless it answers 201. Returns the job.
boost::json::object start_job(HttpClient& client, const std::string& job_type = "blocks",
                              std::int64_t start_block = 0, std::int64_t end_block = 1000);

// A POST that must answer `status`; returns the body as an object (throws otherwise).
boost::json::object post_ok(HttpClient& client, const std::string& target,
                            const boost::json::object& body, int status = 200);
// A GET that must answer 200; returns the body as an object (throws otherwise).
boost::json::object get_ok(HttpClient& client, const std::string& target);

struct CreatedKey {
  std::string id;
  std::string key;
};
// A new key of `role` in the api_keys table of `database_url`, made as `keys create` makes it.
CreatedKey create_api_key(const std::string& database_url, const std::string& role);
// Revokes it as `keys revoke` does.
void revoke_api_key(const std::string& database_url, const std::string& id);

// GET /metrics (must answer 200) after traffic that gives the labelled families children: a
// feedback write, a cached read and its miss, a feedback list, a metric write, a 404.
std::string scrape_after_traffic(HttpClient& client);

// A query-string value with every byte outside [A-Za-z0-9-._~] percent-encoded.
std::string url_encode(const std::string& text);

}  // namespace utxoiq::testing
