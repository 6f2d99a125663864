#pragma once
// JSON Schema builders for the route tables. Limits come from the domain's constants (TextRule,
// kMax...), never from literals, so the document says what the validation does.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "domain/text_rule.hpp"

namespace utxoiq::api::schema {

namespace json = boost::json;

// {"type": "string"} with the rule's length range and, for a restricted charset, its pattern.
json::object text(const domain::TextRule& rule);
// {"type": "string"}, any text.
json::object string();
// {"type": "string", "format": format} ("uuid", "date-time").
json::object formatted(std::string_view format);
json::object integer(std::optional<std::int64_t> min = std::nullopt,
                     std::optional<std::int64_t> max = std::nullopt);
json::object number(std::optional<double> min = std::nullopt,
                    std::optional<double> max = std::nullopt);
json::object boolean();
json::object enum_of(std::initializer_list<std::string_view> values);
json::object array_of(json::object items, std::optional<std::size_t> min_items = std::nullopt,
                      std::optional<std::size_t> max_items = std::nullopt);
// {"type": "object", "required": [...], "properties": {...}}.
json::object object(std::initializer_list<std::string_view> required, json::object properties);
// {"$ref": "#/components/schemas/NAME"}.
json::object ref(std::string_view component);
// A page of a list: {member: [item...], next_cursor: string | null}.
json::object page(std::string_view member, json::object item);
// The schema that also accepts null.
json::object nullable(json::object schema);

}  // namespace utxoiq::api::schema
