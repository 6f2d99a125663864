#pragma once
// Structured logging: one JSON object per line on stderr, {"ts","level","msg", ...fields}, through
// spdlog (its sinks, levels and thread safety). Fields are passed as key/value pairs so that values
// from clients (paths, ids) are escaped once, here, and every line stays valid JSON:
//
//   obs::log(obs::LogLevel::info, "request", {{"request_id", id}, {"status", 200}});
//
// Plain spdlog calls (spdlog::info("...")) still work and come out as JSON lines without fields.
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <spdlog/fwd.h>

namespace utxoiq::obs {

enum class LogLevel { trace, debug, info, warn, error, critical, off };

// "trace", "debug", "info", "warn" (or "warning"), "error", "critical", "off"; any case.
std::optional<LogLevel> parse_log_level(std::string_view name);
std::string_view log_level_name(LogLevel level);

// The value of one field: text, a whole number, a floating-point number or a boolean. Text is
// referenced, not copied: the field list lives only for the call of log().
class LogValue {
 public:
  enum class Kind { text, signed_integer, unsigned_integer, floating, boolean };

  LogValue(std::string_view text) : kind_(Kind::text), text_(text) {}
  LogValue(const char* text) : kind_(Kind::text), text_(text) {}
  LogValue(const std::string& text) : kind_(Kind::text), text_(text) {}
  LogValue(double number) : kind_(Kind::floating), floating_(number) {}
  LogValue(float number) : kind_(Kind::floating), floating_(number) {}
  template <std::integral T>
  LogValue(T number) {
    if constexpr (std::same_as<T, bool>) {
      kind_ = Kind::boolean;
      boolean_ = number;
    } else if constexpr (std::is_signed_v<T>) {
      kind_ = Kind::signed_integer;
      signed_ = number;
    } else {
      kind_ = Kind::unsigned_integer;
      unsigned_ = number;
    }
  }

  // Appends the value as JSON (a string literal, a number, true/false; a non-finite double as
  // null) or, for text lines, as plain text (strings quoted only when they contain spaces).
  void append_json(std::string& out) const;
  void append_text(std::string& out) const;

 private:
  Kind kind_ = Kind::text;
  std::string_view text_;
  std::int64_t signed_ = 0;
  std::uint64_t unsigned_ = 0;
  double floating_ = 0;
  bool boolean_ = false;
};

struct LogField {
  std::string_view key;
  LogValue value;
};

// Installs the process-wide logger: JSON lines (or human-readable text when json is false) on
// stderr at the given minimum level. Call once at start-up; later calls replace the logger.
void init_logging(LogLevel level, bool json = true);
// The same with another destination (tests capture lines with spdlog's ostream sink).
void init_logging(LogLevel level, bool json, std::shared_ptr<spdlog::sinks::sink> sink);

void set_log_level(LogLevel level);
// True when a line at this level would be written; lets callers skip building costly fields.
bool log_enabled(LogLevel level);

// Writes one line: msg and the fields, in order, after ts and level.
void log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

inline void log_debug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  log(LogLevel::debug, msg, fields);
}
inline void log_info(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  log(LogLevel::info, msg, fields);
}
inline void log_warn(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  log(LogLevel::warn, msg, fields);
}
inline void log_error(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  log(LogLevel::error, msg, fields);
}

// The spdlog formatter that renders our lines; exposed for other sinks and for tests.
std::unique_ptr<spdlog::formatter> make_log_formatter(bool json);

// Writes out anything buffered (call before exiting).
void flush_logs();

}  // namespace utxoiq::obs
