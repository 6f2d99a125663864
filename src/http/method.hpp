#pragma once
// HTTP request methods as an enum, so routing compares integers, not strings.
#include <string_view>

namespace utxoiq::http {

enum class Method { get, head, post, put, patch, delete_, options, other };

// "GET", "POST", ...; "OTHER" for a method we do not route.
std::string_view method_name(Method method);
// Exact, upper case ("GET"); Method::other for anything else.
Method parse_method(std::string_view name);

}  // namespace utxoiq::http
