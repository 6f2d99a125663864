#pragma once
// The statement table of each store: every statement it runs, with its tag (pg/statement_tag.hpp).
// The call sites run these very entries, so a test can check every declared read by parsing it.
#include <span>

#include "pg/statement_tag.hpp"

namespace utxoiq::store {

std::span<const pg::TaggedSql> feedback_read_statements();
std::span<const pg::TaggedSql> feedback_write_statements();
std::span<const pg::TaggedSql> backfill_job_statements();
std::span<const pg::TaggedSql> metric_read_statements();
std::span<const pg::TaggedSql> metric_write_statements();
std::span<const pg::TaggedSql> api_key_statements();
std::span<const pg::TaggedSql> api_key_admin_statements();
std::span<const pg::TaggedSql> idempotency_key_statements();

}  // namespace utxoiq::store
