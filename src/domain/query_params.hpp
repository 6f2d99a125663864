#pragma once
// A read-only view of a request's decoded query parameters, so that domain validation does not
// depend on the HTTP layer. The caller owns the strings; this only points at them.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace utxoiq::domain {

class QueryParams {
 public:
  using ViewPair = std::pair<std::string_view, std::string_view>;
  using OwnedPair = std::pair<std::string, std::string>;

  QueryParams() = default;
  // Both forms: names and values already percent-decoded, in request order, repeats kept.
  QueryParams(std::span<const ViewPair> params) : views_(params) {}
  QueryParams(std::span<const OwnedPair> params) : owned_(params) {}
  // So a vector can be passed straight to the parse_* functions.
  QueryParams(const std::vector<ViewPair>& params) : views_(params) {}
  QueryParams(const std::vector<OwnedPair>& params) : owned_(params) {}

  // How many times `name` occurs.
  std::size_t count(std::string_view name) const;
  // The first value of `name`, or nullopt when it is absent.
  std::optional<std::string_view> find(std::string_view name) const;

 private:
  std::span<const ViewPair> views_;
  std::span<const OwnedPair> owned_;
};

}  // namespace utxoiq::domain
