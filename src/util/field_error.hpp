#pragma once
// One invalid field of a request: the request's own member or query parameter name, exactly
// ("rating", "limit", "metrics[17].metric_value"), and a message for a person.
#include <string>
#include <vector>

namespace utxoiq {

struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

using FieldErrors = std::vector<FieldError>;

}  // namespace utxoiq
