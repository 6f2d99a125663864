#pragma once
// The outcome of validating a request: the typed value, or every invalid field of it at once
// (api.md: "errors lists every invalid field of a request at once, not only the first").
#include <cassert>
#include <optional>
#include <utility>

#include "util/field_error.hpp"

namespace utxoiq::domain {

template <typename T>
class Validated {
 public:
  Validated(T value) : value_(std::move(value)) {}
  // `errors` must not be empty.
  Validated(FieldErrors errors) : errors_(std::move(errors)) { assert(!errors_.empty()); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  // Only when ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

  // Empty when ok().
  const FieldErrors& errors() const& { return errors_; }
  FieldErrors&& errors() && { return std::move(errors_); }

 private:
  std::optional<T> value_;
  FieldErrors errors_;
};

}  // namespace utxoiq::domain
