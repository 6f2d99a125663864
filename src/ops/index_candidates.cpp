// Walks the JSON parse tree of pg_query_parse (see index_candidates.hpp).
#include "ops/index_candidates.hpp"

#include <pg_query.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <optional>

namespace utxoiq::ops {

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxColumns = 3;

struct StatementColumns {
  std::map<std::string, std::string> tables;  // name or alias -> table
  std::vector<const json::value*> filters;    // ColumnRef nodes
  std::vector<const json::value*> orders;
};

// Every ColumnRef under `node`, not descending into sub-selects (their columns are theirs; the
// left side of `x IN (SELECT ...)` is ours).
void column_refs(const json::value& node, std::vector<const json::value*>& out) {
  if (const auto* object = node.if_object()) {
    for (const auto& [key, child] : *object) {
      if (key == "ColumnRef") {
        out.push_back(&child);
      } else if (key != "subselect" && key != "SelectStmt" && key != "RangeSubselect") {
        column_refs(child, out);
      }
    }
  } else if (const auto* array = node.if_array()) {
    for (const auto& child : *array) column_refs(child, out);
  }
}

void add_range_var(const json::object& range, StatementColumns& s) {
  const std::string table(range.at("relname").as_string());
  s.tables[table] = table;
  if (const auto* alias = range.if_contains("alias"))
    s.tables[std::string(alias->at("aliasname").as_string())] = table;
}

// Tables of a FROM list (joins included) and the columns of the join conditions.
void from_items(const json::value& node, StatementColumns& s) {
  if (const auto* array = node.if_array()) {
    for (const auto& child : *array) from_items(child, s);
    return;
  }
  const auto* object = node.if_object();
  if (!object) return;
  if (const auto* range = object->if_contains("RangeVar")) {
    add_range_var(range->as_object(), s);
  } else if (const auto* join = object->if_contains("JoinExpr")) {
    const auto& j = join->as_object();
    if (const auto* l = j.if_contains("larg")) from_items(*l, s);
    if (const auto* r = j.if_contains("rarg")) from_items(*r, s);
    if (const auto* quals = j.if_contains("quals")) column_refs(*quals, s.filters);
  }
}

std::optional<std::pair<std::string, std::string>> resolve(const json::value& column_ref,
                                                           const StatementColumns& s) {
  const auto& fields = column_ref.at("fields").as_array();
  std::vector<std::string> names;
  for (const auto& field : fields) {
    const auto* text = field.as_object().if_contains("String");
    if (!text) return std::nullopt;  // a.* and the like
    names.emplace_back(text->at("sval").as_string());
  }
  if (names.size() == 1 && s.tables.size() >= 1) {
    std::string only;
    for (const auto& [name, table] : s.tables) {
      if (!only.empty() && only != table) return std::nullopt;  // ambiguous
      only = table;
    }
    return std::make_pair(only, names[0]);
  }
  if (names.size() == 2) {
    const auto table = s.tables.find(names[0]);
    if (table != s.tables.end()) return std::make_pair(table->second, names[1]);
  }
  return std::nullopt;
}

using TableColumns = std::map<std::string, std::vector<std::string>>;

TableColumns by_table(const std::vector<const json::value*>& refs, const StatementColumns& s) {
  TableColumns out;
  for (const auto* ref : refs) {
    const auto resolved = resolve(*ref, s);
    if (!resolved) continue;
    auto& columns = out[resolved->first];
    if (std::find(columns.begin(), columns.end(), resolved->second) == columns.end())
      columns.push_back(resolved->second);
  }
  return out;
}

void add_candidate(std::vector<IndexCandidate>& out, const std::string& table,
                   std::vector<std::string> columns) {
  if (columns.empty()) return;
  if (columns.size() > kMaxColumns) columns.resize(kMaxColumns);
  IndexCandidate candidate{table, std::move(columns)};
  if (std::find(out.begin(), out.end(), candidate) == out.end()) out.push_back(candidate);
}

void candidates_of(const StatementColumns& s, std::vector<IndexCandidate>& out) {
  const TableColumns filters = by_table(s.filters, s);
  TableColumns orders = by_table(s.orders, s);
  for (const auto& [table, columns] : filters) {
    for (const auto& column : columns) add_candidate(out, table, {column});
    add_candidate(out, table, columns);
    auto with_order = columns;
    for (const auto& column : orders[table])
      if (std::find(with_order.begin(), with_order.end(), column) == with_order.end())
        with_order.push_back(column);
    add_candidate(out, table, with_order);
  }
  for (const auto& [table, columns] : orders)
    if (!filters.contains(table)) add_candidate(out, table, columns);
}

// SelectStmt / UpdateStmt / DeleteStmt anywhere in the tree, each on its own.
void statements(const json::value& node, std::vector<IndexCandidate>& out) {
  if (const auto* array = node.if_array()) {
    for (const auto& child : *array) statements(child, out);
    return;
  }
  const auto* object = node.if_object();
  if (!object) return;
  for (const auto& [key, child] : *object) {
    if ((key == "SelectStmt" || key == "UpdateStmt" || key == "DeleteStmt") && child.is_object()) {
      const auto& stmt = child.as_object();
      StatementColumns s;
      if (const auto* from = stmt.if_contains("fromClause")) from_items(*from, s);
      if (const auto* relation = stmt.if_contains("relation"))
        add_range_var(relation->as_object(), s);
      if (const auto* where = stmt.if_contains("whereClause")) column_refs(*where, s.filters);
      if (const auto* sort = stmt.if_contains("sortClause")) column_refs(*sort, s.orders);
      candidates_of(s, out);
    }
    statements(child, out);
  }
}

}  // namespace

std::vector<IndexCandidate> index_candidates(std::string_view sql) {
  const std::string text(sql);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  std::vector<IndexCandidate> out;
  if (!parsed.error) {
    boost::system::error_code ec;
    const json::value tree = json::parse(parsed.parse_tree, ec);
    if (!ec) statements(tree, out);
  }
  pg_query_free_parse_result(parsed);
  return out;
}

}  // namespace utxoiq::ops
