#pragma once
// Writing a string as a JSON string literal into a buffer, for log lines and response bodies. Our
// own few lines instead of Boost.JSON's serializer: the logger appends many small fields to one
// buffer per line, and this writes straight into it without building a json::value first.
#include <string>
#include <string_view>

namespace utxoiq {

// Appends `s` to `out` as a JSON string (with the surrounding quotes). Quotes, backslashes and
// control characters are escaped; bytes that are not valid UTF-8 become U+FFFD, so every line
// stays valid JSON whatever a client sent (paths and headers are logged).
void append_json_string(std::string& out, std::string_view s);

// The same, returned as a new string.
std::string json_quote(std::string_view s);

}  // namespace utxoiq
