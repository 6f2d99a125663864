#pragma once
// JSON text of a Boost.JSON value, for response bodies. Boost.JSON 1.81 writes every double in
// scientific notation ("4.5E0", "5E1", "0E0"): valid JSON, but not what a client or an operator
// expects to read in an average or a percentage. This writer follows Boost's output for everything
// else and writes a double as the shortest text that reads back to the same value
// (std::to_chars), with a fraction when it has none, so it is read back as a double: 4.5, 50.0,
// 0.0, 1e-07. NaN and infinities, which JSON cannot carry, become null.
#include <string>

#include <boost/json/fwd.hpp>

namespace utxoiq {

void append_json_text(std::string& out, const boost::json::value& value);
// One double as append_json_text writes it, for writers that build JSON text by hand.
void append_json_double(std::string& out, double number);
std::string to_json_text(const boost::json::value& value);
std::string to_json_text(const boost::json::object& object);
std::string to_json_text(const boost::json::array& array);

}  // namespace utxoiq
