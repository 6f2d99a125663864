// Every statement a store declares a read (pg/statement_tag.hpp) is a plain SELECT, so a router
// may send it to a replica: parsed with libpg_query, it is one SelectStmt with no row lock
// (FOR UPDATE/SHARE), no INTO, no data-modifying statement inside (a writing CTE) and no call of
// a function known to have side effects. The checker is itself tested on statements it must refuse.
#include <gtest/gtest.h>
#include <pg_query.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "store/statement_tables.hpp"

namespace {

using utxoiq::pg::StatementAccess;
using utxoiq::pg::TaggedSql;
namespace json = boost::json;

// Functions that write, lock, or change session state; a read calling one is not a read.
bool has_side_effects(const std::string& name) {
  static const std::set<std::string> exact = {"nextval",           "setval",
                                              "set_config",        "pg_notify",
                                              "txid_current",      "pg_current_xact_id",
                                              "lo_create",         "lo_import",
                                              "lo_unlink",         "lo_put",
                                              "lo_from_bytea",     "pg_terminate_backend",
                                              "pg_cancel_backend", "pg_reload_conf",
                                              "pg_switch_wal",     "pg_create_restore_point",
                                              "dblink_exec",       "hypopg_create_index",
                                              "hypopg_reset",      "pg_stat_reset"};
  return exact.count(name) > 0 || name.rfind("pg_advisory_", 0) == 0 ||
         name.rfind("pg_try_advisory_", 0) == 0;
}

std::string last_name(const json::array& funcname) {
  if (funcname.empty()) return {};
  const auto& node = funcname.back().as_object();
  const auto& text = node.at("String").as_object();
  const auto* value = text.if_contains("sval");
  if (!value) value = text.if_contains("str");  // older libpg_query versions
  return value ? std::string(value->as_string()) : std::string();
}

// Why `node` is not part of a plain SELECT, or empty.
std::string refusal(const json::value& node) {
  if (const auto* array = node.if_array()) {
    for (const auto& item : *array)
      if (auto why = refusal(item); !why.empty()) return why;
    return {};
  }
  const auto* object = node.if_object();
  if (!object) return {};
  for (const auto& [key, value] : *object) {
    if (key == "InsertStmt" || key == "UpdateStmt" || key == "DeleteStmt" || key == "MergeStmt")
      return std::string(key) + " inside";
    if (key == "lockingClause") return "row lock (FOR UPDATE/SHARE)";
    if (key == "intoClause") return "SELECT INTO";
    if (key == "FuncCall") {
      const auto name = last_name(value.as_object().at("funcname").as_array());
      if (has_side_effects(name)) return "calls " + name;
    }
    if (auto why = refusal(value); !why.empty()) return why;
  }
  return {};
}

// Empty when `sql` is one plain SELECT; otherwise why not.
std::string why_not_plain_select(const std::string& sql) {
  PgQueryParseResult parsed = pg_query_parse(sql.c_str());
  std::string why;
  if (parsed.error) {
    why = std::string("does not parse: ") + parsed.error->message;
  } else {
    const json::value tree = json::parse(parsed.parse_tree);
    const auto& stmts = tree.as_object().at("stmts").as_array();
    if (stmts.size() != 1) {
      why = "not exactly one statement";
    } else if (!stmts[0].as_object().at("stmt").as_object().contains("SelectStmt")) {
      why = "not a SELECT";
    } else {
      why = refusal(stmts[0]);
    }
  }
  pg_query_free_parse_result(parsed);
  return why;
}

std::vector<std::span<const TaggedSql>> all_tables() {
  namespace s = utxoiq::store;
  return {s::feedback_read_statements(), s::feedback_write_statements(),
          s::backfill_job_statements(),  s::metric_read_statements(),
          s::metric_write_statements(),  s::api_key_statements(),
          s::api_key_admin_statements(), s::idempotency_key_statements()};
}

TEST(StoreStatementAccess, EveryDeclaredReadIsAPlainSelect) {
  int reads = 0;
  for (const auto table : all_tables()) {
    ASSERT_FALSE(table.empty());
    for (const auto& statement : table) {
      const std::string sql(statement.sql);
      SCOPED_TRACE(std::string(statement.tag.store) + "." + std::string(statement.tag.method));
      EXPECT_FALSE(statement.tag.store.empty());
      EXPECT_FALSE(statement.tag.method.empty());
      PgQueryParseResult parsed = pg_query_parse(sql.c_str());
      EXPECT_EQ(parsed.error, nullptr) << sql;
      pg_query_free_parse_result(parsed);
      if (statement.tag.access != StatementAccess::read) continue;
      ++reads;
      EXPECT_EQ(why_not_plain_select(sql), "") << sql;
    }
  }
  EXPECT_GE(reads, 12);  // the stores' reads listed in statement_tables.hpp
}

TEST(StoreStatementAccess, CheckerRefusesWhatIsNotAPlainSelect) {
  const std::array<const char*, 8> refused = {
      "SELECT id FROM backfill_jobs WHERE id = $1 FOR UPDATE",
      "SELECT id FROM api_keys FOR SHARE SKIP LOCKED",
      "WITH d AS (DELETE FROM api_keys RETURNING id) SELECT id FROM d",
      "SELECT nextval('some_sequence')",
      "SELECT pg_advisory_xact_lock(42)",
      "SELECT id INTO copy_of_keys FROM api_keys",
      "UPDATE api_keys SET name = 'x'",
      "SELECT 1; SELECT 2"};
  for (const char* sql : refused) EXPECT_NE(why_not_plain_select(sql), "") << sql;
  EXPECT_EQ(why_not_plain_select("SELECT count(*) FROM api_keys WHERE id = ANY($1::uuid[])"), "");
}

}  // namespace
