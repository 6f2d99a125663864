// See archive_format.hpp.
#include "ops/archive_format.hpp"

#include <zstd.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cassert>

#include "util/sha256.hpp"

namespace utxoiq::ops {

namespace json = boost::json;

namespace {

constexpr int kZstdLevel = 3;

std::string text_member(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    throw ArchiveCorrupt("manifest has no text member " + std::string(name));
  }
  return std::string(value->as_string());
}

}  // namespace

std::string compress_lines(const std::vector<std::string>& lines) {
  std::string plain;
  for (const auto& line : lines) {
    assert(line.find('\n') == std::string::npos);
    plain += line;
    plain += '\n';
  }
  std::string out(ZSTD_compressBound(plain.size()), '\0');
  const auto size = ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), kZstdLevel);
  if (ZSTD_isError(size)) throw std::runtime_error(ZSTD_getErrorName(size));
  out.resize(size);
  return out;
}

std::vector<std::string> decompress_lines(std::string_view bytes) {
  const auto size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    throw ArchiveCorrupt("archive is not a whole zstd frame");
  }
  std::string plain(size, '\0');
  const auto got = ZSTD_decompress(plain.data(), plain.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(got) || got != size) {
    throw ArchiveCorrupt(std::string("archive does not decompress: ") +
                         (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short"));
  }
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < plain.size()) {
    const auto end = plain.find('\n', start);
    if (end == std::string::npos) throw ArchiveCorrupt("archive's last line is not terminated");
    lines.emplace_back(plain.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string manifest_json(const ArchiveManifest& m) {
  json::object o;
  o["table"] = m.table;
  o["range_from"] = m.range_from;
  o["range_to"] = m.range_to;
  o["row_count"] = m.row_count;
  o["min_key"] = m.min_key;
  o["max_key"] = m.max_key;
  o["schema_version"] = m.schema_version;
  o["sha256"] = m.sha256;
  o["data_file"] = m.data_file;
  o["format"] = "jsonl+zstd";
  return json::serialize(o);
}

ArchiveManifest parse_manifest(std::string_view text) {
  json::value value;
  try {
    value = json::parse(text);
  } catch (const std::exception& e) {
    throw ArchiveCorrupt(std::string("manifest is not JSON: ") + e.what());
  }
  if (!value.is_object()) throw ArchiveCorrupt("manifest is not a JSON object");
  const auto& o = value.as_object();
  ArchiveManifest m;
  m.table = text_member(o, "table");
  m.range_from = text_member(o, "range_from");
  m.range_to = text_member(o, "range_to");
  m.min_key = text_member(o, "min_key");
  m.max_key = text_member(o, "max_key");
  m.schema_version = text_member(o, "schema_version");
  m.sha256 = text_member(o, "sha256");
  m.data_file = text_member(o, "data_file");
  const auto* count = o.if_contains("row_count");
  if (count == nullptr || !count->is_int64()) throw ArchiveCorrupt("manifest has no row_count");
  m.row_count = count->as_int64();
  return m;
}

std::string row_key(std::string_view line, const std::string& time_column) {
  const auto row = json::parse(line);
  const auto& o = row.as_object();
  return std::string(o.at(time_column).as_string()) + " " + std::string(o.at("id").as_string());
}

std::vector<std::string> check_archive(std::string_view bytes, const ArchiveManifest& manifest,
                                       const std::string& time_column) {
  if (sha256_hex(bytes) != manifest.sha256) {
    throw ArchiveCorrupt("archive's SHA-256 differs from its manifest's");
  }
  auto lines = decompress_lines(bytes);
  if (static_cast<std::int64_t>(lines.size()) != manifest.row_count) {
    throw ArchiveCorrupt("archive holds " + std::to_string(lines.size()) + " rows, manifest says " +
                         std::to_string(manifest.row_count));
  }
  try {
    if (!lines.empty() && (row_key(lines.front(), time_column) != manifest.min_key ||
                           row_key(lines.back(), time_column) != manifest.max_key)) {
      throw ArchiveCorrupt("archive's first or last key differs from its manifest's");
    }
  } catch (const ArchiveCorrupt&) {
    throw;
  } catch (const std::exception& e) {
    throw ArchiveCorrupt(std::string("archive row is not a row: ") + e.what());
  }
  return lines;
}

}  // namespace utxoiq::ops
