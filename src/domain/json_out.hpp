#pragma once
// Small helpers for building response JSON: timestamps always as RFC 3339 UTC with microseconds and
// 'Z' (api.md), ids in canonical lowercase, absent optionals as null.
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

boost::json::value json_timestamp(Timestamp t);
boost::json::value json_timestamp(const std::optional<Timestamp>& t);
boost::json::value json_uuid(const Uuid& id);
boost::json::value json_text(const std::optional<std::string>& text);

// Readers for the JSON we write ourselves (cache round trips): nullopt when the member is missing
// or not of the expected form. A null member reads as an engaged optional holding nullopt.
std::optional<Timestamp> read_json_timestamp(const boost::json::value* v);
std::optional<std::optional<Timestamp>> read_json_nullable_timestamp(const boost::json::value* v);
std::optional<std::string> read_json_string(const boost::json::value* v);
std::optional<std::optional<std::string>> read_json_nullable_string(const boost::json::value* v);
std::optional<Uuid> read_json_uuid(const boost::json::value* v);

}  // namespace utxoiq::domain
