#pragma once
// A list of HTTP header fields with case-insensitive names (RFC 9110 §5.1), used for both the
// request's headers and a response's extra headers. A plain vector: requests carry a handful of
// fields, and a linear scan over them beats hashing.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace utxoiq::http {

bool iequals(std::string_view a, std::string_view b);

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first field of that name.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  // Adds a field, keeping any others of the same name.
  void add(std::string name, std::string value);
  // Replaces every field of that name with one.
  void set(std::string_view name, std::string value);
  // Removes every field of that name.
  void erase(std::string_view name);

  const std::vector<Field>& fields() const { return fields_; }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  void clear() { fields_.clear(); }
  void reserve(std::size_t n) { fields_.reserve(n); }

 private:
  std::vector<Field> fields_;
};

}  // namespace utxoiq::http
