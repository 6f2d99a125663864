#pragma once
// Metric records in PostgreSQL's COPY text format, the bulk path of POST /metrics/batch: one line
// per record, columns in the order of kMetricCopyColumns, tab-separated, \N for a NULL metadata.
// Backslash, tab, newline and carriage return inside a value are escaped as COPY requires; the
// names are of [A-Za-z0-9_.:-] and need none, but unit (any text) and metadata (JSON, full of
// backslash escapes) do.
#include <span>
#include <string>
#include <string_view>

#include "domain/metric.hpp"

namespace utxoiq::store {

// The column list the lines are written for.
inline constexpr std::string_view kMetricCopyColumns =
    R"((id, service_name, metric_type, metric_value, unit, "timestamp", metadata))";

// Appends one line per record to `out`.
void append_copy_text(std::span<const domain::MetricRecord> records, std::string& out);

// Appends `value` with COPY text escaping.
void append_copy_escaped(std::string_view value, std::string& out);

}  // namespace utxoiq::store
