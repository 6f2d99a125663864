#pragma once
// The request id rule of api.md: echo the client's X-Request-Id when it is 1–128 characters of
// [A-Za-z0-9-], else make a new one. The id is set on the Request, sent back on every response
// and written in every log line about the request.
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq::http {

inline constexpr std::size_t kMaxRequestIdLength = 128;

bool is_valid_request_id(std::string_view id);
// A new random id: a version-4 UUID in text form (36 characters, valid by the rule above).
std::string new_request_id();
// The client's value when valid, else a new id.
std::string resolve_request_id(std::optional<std::string_view> client_value);

}  // namespace utxoiq::http
