// The JSON-lines logger (see logging.hpp). Fields travel inside the spdlog payload, already
// rendered, between two 0x1F (unit separator) bytes ahead of the message; our formatter splits
// them off again. That keeps spdlog's sinks, levels and async machinery unchanged while plain
// spdlog::info("...") calls from anywhere still render as valid lines.
#include "obs/logging.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>

#include <fmt/format.h>
#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include "obs/internal/stderr_batch_sink.hpp"
#include "util/json_escape.hpp"

namespace utxoiq::obs {
namespace {

constexpr char kFieldMark = '\x1f';

// Whether the installed logger writes JSON; log() renders fields to match.
std::atomic<bool> g_json{true};
// Until init_logging runs, spdlog's own default logger prints payloads as they are: fields are
// then rendered as text after the message instead of with the marks our formatter expects.
std::atomic<bool> g_installed{false};

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace:
      return spdlog::level::trace;
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
    case LogLevel::critical:
      return spdlog::level::critical;
    case LogLevel::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string_view spdlog_level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

bool needs_quotes_in_text(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

void append_number(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out.append("null");
    return;
  }
  fmt::format_to(std::back_inserter(out), "{}", number);
}

class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string_view text(msg.payload.data(), msg.payload.size());
    std::string_view fields;
    if (text.size() >= 2 && text.front() == kFieldMark) {
      const auto end = text.find(kFieldMark, 1);
      if (end != std::string_view::npos) {
        fields = text.substr(1, end - 1);
        text.remove_prefix(end + 1);
      }
    }
    line_.clear();
    if (json_) {
      line_.append("{\"ts\":\"");
      append_timestamp(msg.time);
      line_.append("\",\"level\":\"");
      line_.append(spdlog_level_name(msg.level));
      line_.append("\",\"msg\":");
      append_json_string(line_, text);
      line_.append(fields);
      line_.append("}\n");
    } else {
      append_timestamp(msg.time);
      line_.push_back(' ');
      line_.append(spdlog_level_name(msg.level));
      line_.push_back(' ');
      line_.append(text);
      line_.append(fields);
      line_.push_back('\n');
    }
    dest.append(line_.data(), line_.data() + line_.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LineFormatter>(json_);
  }

 private:
  // 2026-11-22T01:00:00.000000Z; the part up to the seconds is cached, as most lines of a busy
  // second share it.
  void append_timestamp(spdlog::log_clock::time_point time) {
    using namespace std::chrono;
    const auto micros = duration_cast<microseconds>(time.time_since_epoch()).count();
    auto seconds = micros / 1'000'000;
    auto fraction = micros % 1'000'000;
    if (fraction < 0) {
      fraction += 1'000'000;
      --seconds;
    }
    if (seconds != cached_second_) {
      const std::time_t t = static_cast<std::time_t>(seconds);
      std::tm tm{};
      gmtime_r(&t, &tm);
      cached_prefix_ = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      cached_second_ = seconds;
    }
    line_.append(cached_prefix_);
    fmt::format_to(std::back_inserter(line_), ".{:06}Z", fraction);
  }

  bool json_;
  std::string line_;
  std::int64_t cached_second_ = -1;
  std::string cached_prefix_;
};

void install(LogLevel level, bool json, std::shared_ptr<spdlog::sinks::sink> sink) {
  sink->set_formatter(make_log_formatter(json));
  auto logger = std::make_shared<spdlog::logger>("utxoiq", std::move(sink));
  logger->set_level(to_spdlog(level));
  logger->flush_on(spdlog::level::warn);
  g_json.store(json, std::memory_order_relaxed);
  spdlog::set_default_logger(std::move(logger));
  g_installed.store(true, std::memory_order_release);
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name) {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "trace") return LogLevel::trace;
  if (lower == "debug") return LogLevel::debug;
  if (lower == "info") return LogLevel::info;
  if (lower == "warn" || lower == "warning") return LogLevel::warn;
  if (lower == "error") return LogLevel::error;
  if (lower == "critical") return LogLevel::critical;
  if (lower == "off") return LogLevel::off;
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) {
  return spdlog_level_name(to_spdlog(level));
}

void LogValue::append_json(std::string& out) const {
  switch (kind_) {
    case Kind::text:
      append_json_string(out, text_);
      break;
    case Kind::signed_integer:
      fmt::format_to(std::back_inserter(out), "{}", signed_);
      break;
    case Kind::unsigned_integer:
      fmt::format_to(std::back_inserter(out), "{}", unsigned_);
      break;
    case Kind::floating:
      append_number(out, floating_);
      break;
    case Kind::boolean:
      out.append(boolean_ ? "true" : "false");
      break;
  }
}

void LogValue::append_text(std::string& out) const {
  if (kind_ == Kind::text) {
    if (needs_quotes_in_text(text_)) {
      append_json_string(out, text_);
    } else {
      out.append(text_);
    }
    return;
  }
  append_json(out);
}

void init_logging(LogLevel level, bool json) {
  install(level, json, std::make_shared<StderrBatchSink>());
  // Info lines reach stderr within a second (spdlog's flusher counts whole seconds); warn and
  // above at once (flush_on in install()).
  spdlog::flush_every(std::chrono::seconds(1));
}

void init_logging(LogLevel level, bool json, std::shared_ptr<spdlog::sinks::sink> sink) {
  install(level, json, std::move(sink));
}

void set_log_level(LogLevel level) {
  spdlog::default_logger_raw()->set_level(to_spdlog(level));
}

bool log_enabled(LogLevel level) {
  return spdlog::default_logger_raw()->should_log(to_spdlog(level));
}

void log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  auto* logger = spdlog::default_logger_raw();
  const auto spd_level = to_spdlog(level);
  if (!logger->should_log(spd_level)) return;
  if (fields.size() == 0) {
    // A message that happens to start with the mark must not be taken for fields.
    if (!msg.empty() && msg.front() == kFieldMark) msg.remove_prefix(1);
    logger->log(spd_level, spdlog::string_view_t(msg.data(), msg.size()));
    return;
  }
  // One buffer per thread: a busy server logs a line per request.
  thread_local std::string payload;
  payload.clear();
  if (!g_installed.load(std::memory_order_acquire)) {
    payload.append(msg);
    for (const auto& field : fields) {
      payload.push_back(' ');
      payload.append(field.key);
      payload.push_back('=');
      field.value.append_text(payload);
    }
    logger->log(spd_level, spdlog::string_view_t(payload.data(), payload.size()));
    return;
  }
  payload.push_back(kFieldMark);
  const bool json = g_json.load(std::memory_order_relaxed);
  for (const auto& field : fields) {
    if (json) {
      payload.push_back(',');
      append_json_string(payload, field.key);
      payload.push_back(':');
      field.value.append_json(payload);
    } else {
      payload.push_back(' ');
      payload.append(field.key);
      payload.push_back('=');
      field.value.append_text(payload);
    }
  }
  payload.push_back(kFieldMark);
  payload.append(msg);
  logger->log(spd_level, spdlog::string_view_t(payload.data(), payload.size()));
}

std::unique_ptr<spdlog::formatter> make_log_formatter(bool json) {
  return std::make_unique<LineFormatter>(json);
}

void flush_logs() {
  spdlog::default_logger_raw()->flush();
}

}  // namespace utxoiq::obs
