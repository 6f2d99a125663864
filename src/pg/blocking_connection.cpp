// Synchronous libpq wrapper of blocking_connection.hpp: PQconnectdbParams, PQexec for multi-
// statement text, PQexecParams for bound statements, results copied into plain strings.
#include "pg/blocking_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>

namespace utxoiq::pg {
namespace {

std::string trim_right(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  return text;
}

// Passwords a connection string may carry: what libpq itself parses out of it, and, for strings
// libpq cannot parse, the raw text after "user:" in a URI and after each "password=".
std::vector<std::string> passwords_in(const std::string& conninfo) {
  std::vector<std::string> found;
  char* error = nullptr;
  if (PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error)) {
    for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
      if (std::string_view(option->keyword) == "password" && option->val != nullptr) {
        found.emplace_back(option->val);
      }
    }
    PQconninfoFree(options);
  }
  if (error != nullptr) PQfreemem(error);

  if (auto scheme = conninfo.find("://"); scheme != std::string::npos) {
    const std::string rest = conninfo.substr(scheme + 3);
    if (auto at = rest.find('@'); at != std::string::npos) {
      const std::string userinfo = rest.substr(0, at);
      if (auto colon = userinfo.find(':'); colon != std::string::npos) {
        found.push_back(userinfo.substr(colon + 1));
      }
    }
  }
  static constexpr std::string_view kKey = "password=";
  for (auto pos = conninfo.find(kKey); pos != std::string::npos;
       pos = conninfo.find(kKey, pos + 1)) {
    auto begin = pos + kKey.size();
    auto end = begin;
    if (begin < conninfo.size() && conninfo[begin] == '\'') {
      end = conninfo.find('\'', begin + 1);
      ++begin;
    } else {
      end = conninfo.find_first_of(" \t\n&", begin);
    }
    found.push_back(conninfo.substr(begin, end == std::string::npos ? end : end - begin));
  }
  std::erase_if(found, [](const std::string& p) { return p.empty(); });
  // Longest first, so that a password containing another candidate is replaced whole.
  std::sort(found.begin(), found.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return found;
}

// Leaves the connection usable after a COPY statement, which this class does not support.
void abandon_copy(PGconn* conn, ExecStatusType status) {
  if (status == PGRES_COPY_IN) {
    PQputCopyEnd(conn, "COPY FROM STDIN is not supported here");
  } else if (status == PGRES_COPY_OUT) {
    char* row = nullptr;
    while (PQgetCopyData(conn, &row, 0) > 0) PQfreemem(row);
  }
  while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
}

BlockingResult take_result(PGconn* conn, PGresult* raw) {
  if (raw == nullptr) {
    throw BlockingConnectionError(trim_right(PQerrorMessage(conn)), "");
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(raw, &PQclear);
  const ExecStatusType status = PQresultStatus(raw);
  if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
    abandon_copy(conn, status);
    throw BlockingConnectionError("COPY statements are not supported by BlockingConnection", "");
  }
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    const char* sqlstate = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
    std::string message = trim_right(PQresultErrorMessage(raw));
    if (message.empty()) message = trim_right(PQerrorMessage(conn));
    throw BlockingConnectionError(message, sqlstate != nullptr ? sqlstate : "");
  }

  BlockingResult out;
  const int columns = PQnfields(raw);
  const int rows = PQntuples(raw);
  for (int c = 0; c < columns; ++c) out.columns.emplace_back(PQfname(raw, c));
  out.rows.reserve(rows);
  for (int r = 0; r < rows; ++r) {
    auto& row = out.rows.emplace_back();
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(raw, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(raw, r, c), PQgetlength(raw, r, c)));
      }
    }
  }
  const std::string_view affected = PQcmdTuples(raw);
  std::from_chars(affected.data(), affected.data() + affected.size(), out.affected_rows);
  return out;
}

}  // namespace

const std::optional<std::string>& BlockingResult::at(std::size_t row,
                                                     const std::string& column) const {
  const auto it = std::find(columns.begin(), columns.end(), column);
  if (it == columns.end()) throw std::out_of_range("no column named " + column);
  return rows.at(row).at(static_cast<std::size_t>(it - columns.begin()));
}

std::string redact_password(const std::string& text, const std::string& conninfo) {
  std::string out = text;
  for (const std::string& password : passwords_in(conninfo)) {
    for (auto pos = out.find(password); pos != std::string::npos;
         pos = out.find(password, pos + 3)) {
      out.replace(pos, password.size(), "***");
    }
  }
  return out;
}

BlockingConnection::BlockingConnection(const std::string& conninfo) {
  // With expand_dbname the connection string's own settings override the ones before it, so
  // these are only defaults.
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                  nullptr};
  const char* const values[] = {"10", "utxoiq-store", conninfo.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ == nullptr)
    throw BlockingConnectionError("cannot allocate a PostgreSQL connection", "");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: " + trim_right(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw BlockingConnectionError(redact_password(message, conninfo), "");
  }
  // NOTICEs ("table does not exist, skipping") would go to stderr by default; the CLI prints
  // what the operations report instead.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

BlockingConnection::~BlockingConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

BlockingConnection::BlockingConnection(BlockingConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}

BlockingConnection& BlockingConnection::operator=(BlockingConnection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
  }
  return *this;
}

BlockingResult BlockingConnection::exec(const std::string& sql) {
  return take_result(conn_, PQexec(conn_, sql.c_str()));
}

BlockingResult BlockingConnection::exec_params(
    const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  return take_result(conn_, PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()),
                                         nullptr, values.data(), nullptr, nullptr, 0));
}

bool BlockingConnection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool BlockingConnection::is_ok() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

}  // namespace utxoiq::pg
