// See exposition_merge.hpp. The text is parsed here rather than by a library: prometheus-cpp,
// which writes the exposition, has no parser of the text format (the parsers are Go's
// prometheus/common expfmt and Python's prometheus_client, not C++), and this merge needs no
// values, only each line's metric name, where its label set starts and whether it has a `worker`
// label; the rest of a line is copied byte for byte, so label values (escaped quotes and
// backslashes included) come out exactly as the worker wrote them.
#include "obs/exposition_merge.hpp"

#include <array>
#include <cassert>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

namespace utxoiq::obs {
namespace {

struct Family {
  std::optional<std::string> help;  // the text after "# HELP <name> "
  std::optional<std::string> type;  // counter, gauge, histogram, summary, untyped
  std::vector<std::string> samples;
};

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}

// The metric (or label) name at the start of `text`; empty when there is none.
std::string_view leading_name(std::string_view text) {
  if (text.empty() || !name_start(text.front())) return {};
  std::size_t end = 1;
  while (end < text.size() && name_char(text[end])) ++end;
  return text.substr(0, end);
}

// A sample value: a float as Go's ParseFloat reads it, or +Inf, -Inf, NaN.
bool valid_value(std::string_view text) {
  if (text == "+Inf" || text == "-Inf" || text == "Inf" || text == "NaN") return true;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// A sample line taken apart: "<name>{<labels>} <value>[ <timestamp>]" or "<name> <value>...".
struct Sample {
  std::string_view name;
  std::string_view labels;  // between the braces, as written; empty without braces
  std::string_view rest;    // from the space after the name or the closing brace
  bool has_worker = false;  // a label named `worker` is among `labels`
};

std::optional<Sample> parse_sample(std::string_view line) {
  Sample sample;
  sample.name = leading_name(line);
  if (sample.name.empty()) return std::nullopt;
  std::size_t at = sample.name.size();
  if (at < line.size() && line[at] == '{') {
    const std::size_t open = ++at;
    while (true) {
      while (at < line.size() && line[at] == ' ') ++at;
      if (at < line.size() && line[at] == '}') break;
      const std::string_view label = leading_name(line.substr(at));
      if (label.empty()) return std::nullopt;
      if (label == "worker") sample.has_worker = true;
      at += label.size();
      if (at + 1 >= line.size() || line[at] != '=' || line[at + 1] != '"') return std::nullopt;
      at += 2;
      while (at < line.size() && line[at] != '"') at += line[at] == '\\' ? 2 : 1;
      if (at >= line.size()) return std::nullopt;
      ++at;  // the closing quote
      if (at < line.size() && line[at] == ',')
        ++at;
      else if (at >= line.size() || line[at] != '}')
        return std::nullopt;
    }
    sample.labels = line.substr(open, at - open);
    ++at;  // the closing brace
  }
  sample.rest = line.substr(at);
  // The value, then at most a timestamp.
  std::string_view tail = sample.rest;
  if (tail.empty() || tail.front() != ' ') return std::nullopt;
  while (!tail.empty() && tail.front() == ' ') tail.remove_prefix(1);
  const std::string_view value = tail.substr(0, tail.find(' '));
  if (!valid_value(value)) return std::nullopt;
  return sample;
}

// The family a sample belongs to: a histogram's or summary's _bucket/_sum/_count go to the family
// without the suffix when that family was declared so; any other sample is its own family.
std::string family_of(std::string_view name,
                      const std::map<std::string, Family, std::less<>>& declared) {
  static constexpr std::array<std::string_view, 3> kSuffixes{"_bucket", "_sum", "_count"};
  for (const std::string_view suffix : kSuffixes) {
    if (name.size() <= suffix.size() || !name.ends_with(suffix)) continue;
    const std::string_view base = name.substr(0, name.size() - suffix.size());
    const auto found = declared.find(base);
    if (found == declared.end() || !found->second.type) continue;
    const std::string& type = *found->second.type;
    if (type == "histogram" || (type == "summary" && suffix != "_bucket")) return std::string(base);
  }
  return std::string(name);
}

// "# HELP <name> <text>" / "# TYPE <name> <type>": the name and the rest; nothing when malformed.
std::optional<std::pair<std::string_view, std::string_view>> descriptor(std::string_view line,
                                                                        std::string_view keyword) {
  const std::string prefix = "# " + std::string(keyword) + " ";
  if (!line.starts_with(prefix)) return std::nullopt;
  line.remove_prefix(prefix.size());
  const std::string_view name = leading_name(line);
  if (name.empty()) return std::nullopt;
  line.remove_prefix(name.size());
  if (line.empty()) return std::pair{name, std::string_view()};
  if (line.front() != ' ') return std::nullopt;
  return std::pair{name, line.substr(1)};
}

template <typename Each>
void for_each_line(std::string_view text, Each&& each) {
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    each(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

bool known_type(std::string_view type) {
  return type == "counter" || type == "gauge" || type == "histogram" || type == "summary" ||
         type == "untyped";
}

}  // namespace

std::string merge_expositions(std::span<const WorkerExposition> inputs) {
  std::map<std::string, Family, std::less<>> families;
  // First every HELP and TYPE, so that a sample's family is known whichever worker declared it.
  for (const auto& input : inputs) {
    for_each_line(input.text, [&families](std::string_view line) {
      if (const auto help = descriptor(line, "HELP")) {
        auto& family = families[std::string(help->first)];
        if (!family.help) family.help = std::string(help->second);
      } else if (const auto type = descriptor(line, "TYPE")) {
        if (!known_type(type->second)) return;
        auto& family = families[std::string(type->first)];
        if (!family.type) family.type = std::string(type->second);
      }
    });
  }
  for (const auto& input : inputs) {
    const std::string worker = "worker=\"" + std::to_string(input.worker) + "\"";
    for_each_line(input.text, [&](std::string_view line) {
      if (line.empty() || line.front() == '#') return;
      const auto sample = parse_sample(line);
      if (!sample) return;
      std::string out(sample->name);
      if (sample->has_worker) {
        out += '{';
        out += sample->labels;
        out += '}';
      } else if (sample->labels.empty()) {
        out += '{' + worker + '}';
      } else {
        out += '{' + worker + ',';
        out += sample->labels;
        out += '}';
      }
      out += sample->rest;
      families[family_of(sample->name, families)].samples.push_back(std::move(out));
    });
  }
  std::string merged;
  for (const auto& [name, family] : families) {
    assert(!name.empty());
    if (family.help) merged += "# HELP " + name + " " + *family.help + "\n";
    if (family.type) merged += "# TYPE " + name + " " + *family.type + "\n";
    for (const auto& sample : family.samples) merged += sample + "\n";
  }
  return merged;
}

}  // namespace utxoiq::obs
