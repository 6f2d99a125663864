#pragma once
// The rows (or command status) of one statement: owns a libpq PGresult, values read in text
// format. Move-only. Row and column indexes are 0-based ints, as in libpq.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_result;  // libpq's PGresult, kept out of this header

namespace utxoiq::pg {

class Result {
 public:
  Result() = default;  // empty: 0 rows, 0 columns
  // Takes ownership of a PGresult (PQclear on destruction).
  explicit Result(pg_result* result);

  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  int columns() const;
  bool empty() const { return rows() == 0; }
  // Index of the column with exactly this name (no case folding); throws DecodeError if absent.
  int column(std::string_view name) const;
  std::string_view column_name(int column) const;

  bool is_null(int row, int column) const;
  // Value as text; the view lives as long as this Result. Throws DecodeError when NULL.
  std::string_view text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  double float64(int row, int column) const;  // also NaN / Infinity
  bool boolean(int row, int column) const;    // 't' / 'f'
  std::chrono::system_clock::time_point timestamp(int row, int column) const;  // timestamptz

  // nullopt when NULL; still throws DecodeError when the text is not of the asked type.
  std::optional<std::string_view> optional_text(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  std::optional<double> optional_float64(int row, int column) const;
  std::optional<bool> optional_boolean(int row, int column) const;
  std::optional<std::chrono::system_clock::time_point> optional_timestamp(int row,
                                                                          int column) const;

  // The same readers by column name.
  bool is_null(int row, std::string_view column_name) const {
    return is_null(row, column(column_name));
  }
  std::string_view text(int row, std::string_view name) const { return text(row, column(name)); }
  std::int64_t int64(int row, std::string_view name) const { return int64(row, column(name)); }
  double float64(int row, std::string_view name) const { return float64(row, column(name)); }
  bool boolean(int row, std::string_view name) const { return boolean(row, column(name)); }
  std::chrono::system_clock::time_point timestamp(int row, std::string_view name) const {
    return timestamp(row, column(name));
  }
  std::optional<std::string_view> optional_text(int row, std::string_view name) const {
    return optional_text(row, column(name));
  }
  std::optional<std::int64_t> optional_int64(int row, std::string_view name) const {
    return optional_int64(row, column(name));
  }
  std::optional<double> optional_float64(int row, std::string_view name) const {
    return optional_float64(row, column(name));
  }
  std::optional<bool> optional_boolean(int row, std::string_view name) const {
    return optional_boolean(row, column(name));
  }
  std::optional<std::chrono::system_clock::time_point> optional_timestamp(
      int row, std::string_view name) const {
    return optional_timestamp(row, column(name));
  }

  // Rows inserted/updated/deleted/copied (PQcmdTuples); 0 for statements that report none.
  std::int64_t affected_rows() const;
  // The command tag, e.g. "INSERT 0 1", "UPDATE 3", "BEGIN".
  std::string_view command_tag() const;

  const pg_result* raw() const { return result_.get(); }

 private:
  struct Deleter {
    void operator()(pg_result* result) const;
  };
  void check_cell(int row, int column) const;
  std::unique_ptr<pg_result, Deleter> result_;
};

}  // namespace utxoiq::pg
