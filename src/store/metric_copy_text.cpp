// COPY text encoding of metric records (see metric_copy_text.hpp).
#include "store/internal/metric_copy_text.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>

#include "util/rfc3339.hpp"

namespace utxoiq::store {

void append_copy_escaped(std::string_view value, std::string& out) {
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < value.size(); ++i) {
    char escaped = 0;
    switch (value[i]) {
      case '\\':
        escaped = '\\';
        break;
      case '\t':
        escaped = 't';
        break;
      case '\n':
        escaped = 'n';
        break;
      case '\r':
        escaped = 'r';
        break;
      default:
        continue;
    }
    out.append(value.data() + plain, i - plain);
    out.push_back('\\');
    out.push_back(escaped);
    plain = i + 1;
  }
  out.append(value.data() + plain, value.size() - plain);
}

void append_copy_text(std::span<const domain::MetricRecord> records, std::string& out) {
  // id 36 + timestamp 27 + number <= 24 + separators; names and unit are added as they come.
  out.reserve(out.size() + records.size() * 128);
  char buffer[64];
  for (const auto& record : records) {
    const auto& m = record.metric;
    record.id.write(buffer);
    out.append(buffer, Uuid::kStringSize);
    out.push_back('\t');
    append_copy_escaped(m.service_name, out);
    out.push_back('\t');
    append_copy_escaped(m.metric_type, out);
    out.push_back('\t');
    // Shortest text that reads back as the same double (validation guarantees it is finite).
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, m.metric_value);
    out.append(buffer, static_cast<std::size_t>(end - buffer));
    out.push_back('\t');
    append_copy_escaped(m.unit, out);
    out.push_back('\t');
    // RFC 3339 in UTC ("2026-11-22T01:00:00.000000Z") is valid timestamptz input in any session.
    write_rfc3339(m.timestamp, buffer);
    out.append(buffer, kRfc3339Size);
    out.push_back('\t');
    if (m.metadata) {
      append_copy_escaped(boost::json::serialize(*m.metadata), out);
    } else {
      out.append("\\N");
    }
    out.push_back('\n');
  }
}

}  // namespace utxoiq::store
