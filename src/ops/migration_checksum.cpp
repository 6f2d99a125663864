// Normalization and checksum of migration files (see migration_checksum.hpp).
#include "ops/migration_checksum.hpp"

#include "util/sha256.hpp"

namespace utxoiq::ops {
namespace {

bool is_trailing_blank(char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

void cut_trailing_blanks(std::string& text) {
  while (!text.empty() && is_trailing_blank(text.back())) text.pop_back();
}

}  // namespace

std::string normalize_migration_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      cut_trailing_blanks(out);
      out.push_back('\n');
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;  // CRLF is one break
    } else {
      out.push_back(c);
    }
  }
  cut_trailing_blanks(out);
  while (!out.empty() && out.back() == '\n') out.pop_back();  // lines were cut before each break
  return out;
}

std::string migration_checksum(std::string_view text) {
  return sha256_hex(normalize_migration_text(text));
}

}  // namespace utxoiq::ops
