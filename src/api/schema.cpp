// See schema.hpp.
#include "api/schema.hpp"

#include <boost/json/array.hpp>
#include <cassert>
#include <string>

namespace utxoiq::api::schema {

namespace {

std::string_view charset_pattern(domain::Charset charset) {
  switch (charset) {
    case domain::Charset::lower_identifier:
      return "^[a-z0-9_]*$";
    case domain::Charset::metric_name:
      return "^[A-Za-z0-9_.:-]*$";
    case domain::Charset::any:
      break;
  }
  return {};
}

json::object typed(std::string_view type) {
  return {{"type", type}};
}

}  // namespace

json::object text(const domain::TextRule& rule) {
  assert(rule.min_chars <= rule.max_chars);
  json::object out = typed("string");
  if (rule.min_chars > 0) out["minLength"] = rule.min_chars;
  out["maxLength"] = rule.max_chars;
  if (const auto pattern = charset_pattern(rule.charset); !pattern.empty()) {
    out["pattern"] = pattern;
  }
  return out;
}

json::object string() {
  return typed("string");
}

json::object formatted(std::string_view format) {
  json::object out = typed("string");
  out["format"] = format;
  return out;
}

json::object integer(std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
  json::object out = typed("integer");
  if (min) out["minimum"] = *min;
  if (max) out["maximum"] = *max;
  return out;
}

json::object number(std::optional<double> min, std::optional<double> max) {
  json::object out = typed("number");
  if (min) out["minimum"] = *min;
  if (max) out["maximum"] = *max;
  return out;
}

json::object boolean() {
  return typed("boolean");
}

json::object enum_of(std::initializer_list<std::string_view> values) {
  json::array list;
  for (const auto value : values) list.emplace_back(value);
  return {{"enum", std::move(list)}};
}

json::object array_of(json::object items, std::optional<std::size_t> min_items,
                      std::optional<std::size_t> max_items) {
  json::object out = typed("array");
  out["items"] = std::move(items);
  if (min_items) out["minItems"] = *min_items;
  if (max_items) out["maxItems"] = *max_items;
  return out;
}

json::object object(std::initializer_list<std::string_view> required, json::object properties) {
  json::object out = typed("object");
  json::array names;
  for (const auto name : required) {
    assert(properties.contains(name));
    names.emplace_back(name);
  }
  if (!names.empty()) out["required"] = std::move(names);
  out["properties"] = std::move(properties);
  return out;
}

json::object ref(std::string_view component) {
  return {{"$ref", "#/components/schemas/" + std::string(component)}};
}

json::object page(std::string_view member, json::object item) {
  return object({member, "next_cursor"},
                {{member, array_of(std::move(item))}, {"next_cursor", nullable(string())}});
}

json::object nullable(json::object schema) {
  if (auto* type = schema.if_contains("type"); type && type->is_string()) {
    *type = json::array{type->as_string(), "null"};
    return schema;
  }
  if (auto* values = schema.if_contains("enum")) {
    values->as_array().emplace_back(nullptr);
    return schema;
  }
  return {{"anyOf", json::array{std::move(schema), typed("null")}}};
}

}  // namespace utxoiq::api::schema
