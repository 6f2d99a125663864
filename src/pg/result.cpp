// Reading values of a PGresult in text format.
#include "pg/result.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <string>

#include "pg/errors.hpp"
#include "pg/internal/timestamp_text.hpp"

namespace utxoiq::pg {

namespace {

[[noreturn]] void bad_value(int row, int column, std::string_view what) {
  throw DecodeError("row " + std::to_string(row) + " column " + std::to_string(column) + ": " +
                    std::string(what));
}

}  // namespace

void Result::Deleter::operator()(pg_result* result) const {
  PQclear(result);
}

Result::Result(pg_result* result) : result_(result) {}

int Result::rows() const {
  return result_ ? PQntuples(result_.get()) : 0;
}

int Result::columns() const {
  return result_ ? PQnfields(result_.get()) : 0;
}

int Result::column(std::string_view name) const {
  // Exact comparison instead of PQfnumber, which folds unquoted names to lower case.
  for (int c = 0; c < columns(); ++c) {
    if (name == PQfname(result_.get(), c)) return c;
  }
  throw DecodeError("no column named '" + std::string(name) + "' in the result");
}

std::string_view Result::column_name(int column) const {
  if (column < 0 || column >= columns()) bad_value(0, column, "column out of range");
  return PQfname(result_.get(), column);
}

void Result::check_cell(int row, int column) const {
  if (row < 0 || row >= rows() || column < 0 || column >= columns())
    bad_value(row, column,
              "out of range (" + std::to_string(rows()) + " rows, " + std::to_string(columns()) +
                  " columns)");
}

bool Result::is_null(int row, int column) const {
  check_cell(row, column);
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::optional<std::string_view> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::string_view(PQgetvalue(result_.get(), row, column),
                          static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::string_view Result::text(int row, int column) const {
  auto value = optional_text(row, column);
  if (!value) bad_value(row, column, "is NULL");
  return *value;
}

std::optional<std::int64_t> Result::optional_int64(int row, int column) const {
  const auto value = optional_text(row, column);
  if (!value) return std::nullopt;
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc{} || end != value->data() + value->size())
    bad_value(row, column, "is not a 64-bit integer");
  return number;
}

std::int64_t Result::int64(int row, int column) const {
  const auto value = optional_int64(row, column);
  if (!value) bad_value(row, column, "is NULL");
  return *value;
}

std::optional<double> Result::optional_float64(int row, int column) const {
  const auto value = optional_text(row, column);
  if (!value) return std::nullopt;
  double number = 0;
  // from_chars accepts "nan", "inf" and "infinity" in any case, which covers PostgreSQL's
  // "NaN", "Infinity" and "-Infinity".
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc{} || end != value->data() + value->size())
    bad_value(row, column, "is not a number");
  return number;
}

double Result::float64(int row, int column) const {
  const auto value = optional_float64(row, column);
  if (!value) bad_value(row, column, "is NULL");
  return *value;
}

std::optional<bool> Result::optional_boolean(int row, int column) const {
  const auto value = optional_text(row, column);
  if (!value) return std::nullopt;
  if (*value == "t") return true;
  if (*value == "f") return false;
  bad_value(row, column, "is not a boolean");
}

bool Result::boolean(int row, int column) const {
  const auto value = optional_boolean(row, column);
  if (!value) bad_value(row, column, "is NULL");
  return *value;
}

std::optional<std::chrono::system_clock::time_point> Result::optional_timestamp(int row,
                                                                                int column) const {
  const auto value = optional_text(row, column);
  if (!value) return std::nullopt;
  auto time = parse_timestamp(*value);
  if (!time) bad_value(row, column, "is not a timestamp");
  return time;
}

std::chrono::system_clock::time_point Result::timestamp(int row, int column) const {
  const auto value = optional_timestamp(row, column);
  if (!value) bad_value(row, column, "is NULL");
  return *value;
}

std::int64_t Result::affected_rows() const {
  if (!result_) return 0;
  const std::string_view tuples = PQcmdTuples(result_.get());
  std::int64_t number = 0;
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), number);
  return number;
}

std::string_view Result::command_tag() const {
  return result_ ? std::string_view(PQcmdStatus(result_.get())) : std::string_view{};
}

}  // namespace utxoiq::pg
