// Request accessors and target parsing (see request.hpp). Targets are parsed with Boost.URL, which
// validates them against RFC 3986 and decodes percent-escapes.
#include "http/request.hpp"

#include <stdexcept>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "http/problem.hpp"

namespace utxoiq::http {

std::optional<std::string_view> Request::query(std::string_view name) const {
  for (const auto& [key, value] : query_params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Request::query_all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : query_params) {
    if (key == name) values.emplace_back(value);
  }
  return values;
}

std::string_view Request::param(std::string_view name) const {
  if (auto value = find_param(name)) return *value;
  throw std::out_of_range("route has no path parameter " + std::string(name));
}

std::optional<std::string_view> Request::find_param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

void set_target(Request& request, std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) throw bad_request("The request target is not a valid URI path and query.");
  const boost::urls::url_view& url = *parsed;
  request.target = std::string(target);
  request.path = url.path();
  request.raw_query = std::string(url.encoded_query());
  request.query_params.clear();
  // No space_as_plus: see query_params in request.hpp.
  for (const auto& param : url.params(boost::urls::encoding_opts(false, false, false))) {
    request.query_params.emplace_back(param.key, param.has_value ? param.value : std::string());
  }
}

Request make_request(Method method, std::string_view target, std::string body) {
  Request request;
  request.method = method;
  set_target(request, target);
  request.body = std::move(body);
  return request;
}

}  // namespace utxoiq::http
