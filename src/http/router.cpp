// The router: a tree of path segments (see router.hpp). Matching walks the tree depth-first,
// literal children before the parameter child, and backtracks, so a literal only wins where the
// rest of the path also matches.
#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/container/small_vector.hpp>

namespace utxoiq::http {

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::vector<const Route*> routes;

  Node* literal(std::string_view segment) const {
    for (const auto& [name, child] : literals) {
      if (name == segment) return child.get();
    }
    return nullptr;
  }
};

namespace {

using Segments = boost::container::small_vector<std::string_view, 12>;

// "/a/b" → ["a", "b"]; "/" → [""]; the leading '/' is required.
Segments split_path(std::string_view path) {
  Segments segments;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of one segment. Our own few lines rather than Boost.URL's views: the common
// segment has no '%' and is then used in place, without an allocation.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int high = hex_value(s[i + 1]);
    const int low = hex_value(s[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

bool is_param_segment(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_valid_param_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool serves(const std::vector<const Route*>& routes, Method method) {
  for (const Route* route : routes) {
    if (route->method == method) return true;
  }
  return false;
}

const Route* route_for(const std::vector<const Route*>& routes, Method method) {
  for (const Route* route : routes) {
    if (route->method == method) return route;
  }
  if (method == Method::head) return route_for(routes, Method::get);
  return nullptr;
}

std::string allow_header(const std::vector<const Route*>& routes) {
  static constexpr Method kOrder[] = {Method::get,   Method::head,    Method::post,   Method::put,
                                      Method::patch, Method::delete_, Method::options};
  std::string allow;
  for (Method method : kOrder) {
    const bool allowed =
        serves(routes, method) || (method == Method::head && serves(routes, Method::get));
    if (!allowed) continue;
    if (!allow.empty()) allow.append(", ");
    allow.append(method_name(method));
  }
  return allow;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

const Route& Router::add(Method method, std::string_view pattern, Handler handler,
                         RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = std::string(pattern);
  Node* node = root_.get();
  for (std::string_view segment : split_path(pattern)) {
    if (is_param_segment(segment)) {
      const auto name = segment.substr(1, segment.size() - 2);
      if (!is_valid_param_name(name)) {
        throw std::invalid_argument("bad parameter name in route pattern: " + std::string(pattern));
      }
      if (std::find(route->param_names.begin(), route->param_names.end(), name) !=
          route->param_names.end()) {
        throw std::invalid_argument("parameter named twice in route pattern: " +
                                    std::string(pattern));
      }
      route->param_names.emplace_back(name);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      if (segment.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("a parameter must be a whole segment: " + std::string(pattern));
      }
      Node* child = node->literal(segment);
      if (child == nullptr) {
        node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
        child = node->literals.back().second.get();
      }
      node = child;
    }
  }
  if (serves(node->routes, method)) {
    throw std::invalid_argument("route already defined: " + std::string(method_name(method)) + " " +
                                std::string(pattern));
  }
  if (options.name.empty()) options.name = route->pattern;
  route->options = std::move(options);
  route->handler = std::move(handler);
  node->routes.push_back(route.get());
  routes_.push_back(std::move(route));
  return *routes_.back();
}

RouteMatch Router::match(Method method, std::string_view encoded_path) const {
  RouteMatch result;
  if (encoded_path.empty() || encoded_path.front() != '/') return result;

  const Segments raw = split_path(encoded_path);
  // Decoded copies only of segments with escapes; reserved up front so views into them stay valid.
  std::vector<std::string> decoded_storage;
  Segments segments;
  std::size_t escaped =
      static_cast<std::size_t>(std::count_if(raw.begin(), raw.end(), [](std::string_view s) {
        return s.find('%') != std::string_view::npos;
      }));
  decoded_storage.reserve(escaped);
  for (std::string_view segment : raw) {
    if (segment.find('%') == std::string_view::npos) {
      segments.push_back(segment);
      continue;
    }
    auto decoded = percent_decode(segment);
    if (!decoded) return result;  // a broken escape matches nothing
    decoded_storage.push_back(std::move(*decoded));
    segments.push_back(decoded_storage.back());
  }

  boost::container::small_vector<std::string_view, 4> captured;
  // Depth-first, literal before parameter; `accept` says which end nodes count.
  const auto find = [&](const auto& self, const Node& node, std::size_t index,
                        const auto& accept) -> const Node* {
    if (index == segments.size()) return accept(node) ? &node : nullptr;
    const std::string_view segment = segments[index];
    if (const Node* child = node.literal(segment)) {
      if (const Node* found = self(self, *child, index + 1, accept)) return found;
    }
    if (node.param && !segment.empty()) {
      captured.push_back(segment);
      if (const Node* found = self(self, *node.param, index + 1, accept)) return found;
      captured.pop_back();
    }
    return nullptr;
  };

  const auto has_method = [&](const Node& node) {
    return route_for(node.routes, method) != nullptr;
  };
  if (const Node* node = find(find, *root_, 0, has_method)) {
    result.route = route_for(node->routes, method);
    result.params.reserve(captured.size());
    for (std::size_t i = 0; i < captured.size() && i < result.route->param_names.size(); ++i) {
      result.params.emplace_back(result.route->param_names[i], std::string(captured[i]));
    }
    return result;
  }
  captured.clear();
  const auto has_any = [](const Node& node) { return !node.routes.empty(); };
  if (const Node* node = find(find, *root_, 0, has_any)) {
    result.allow = allow_header(node->routes);
  }
  return result;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> infos;
  infos.reserve(routes_.size());
  for (const auto& route : routes_) {
    infos.push_back(RouteInfo{route->method, route->pattern, route->options});
  }
  return infos;
}

}  // namespace utxoiq::http
