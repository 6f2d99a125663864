#pragma once
// The Idempotency-Key header of the metric writes (api.md: "An Idempotency-Key header makes a
// retried batch insert once (keys remembered 24 h); the retry gets the first answer").
//
// api.md does not say what a key reused with a DIFFERENT request gets. We answer 422 naming
// `Idempotency-Key`, as the IETF draft "The Idempotency-Key HTTP Header Field"
// (draft-ietf-httpapi-idempotency-key-header, section 2.7) recommends: the request is
// well-formed but unprocessable with that key. "Different" means a different body or endpoint:
// the fingerprint is the SHA-256 of the route name and the body bytes exactly as sent, so a
// retry must resend the same bytes (any client retry does). A replayed answer carries the header
// `Idempotent-Replayed: true`. POST /metrics (one point) honours the header too: its retry gets
// the same id back.
#include <optional>
#include <string>
#include <string_view>

#include "domain/validated.hpp"
#include "http/request.hpp"
#include "util/field_error.hpp"

namespace utxoiq::api {

inline constexpr std::string_view kIdempotencyKeyHeader = "Idempotency-Key";
inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;

// The key, nullopt when the header is absent. A header that is empty, longer than 255 characters,
// holds anything but visible ASCII (0x21-0x7E: no spaces or control characters), or is given
// twice is an error on "Idempotency-Key".
domain::Validated<std::optional<std::string>> read_idempotency_key(const http::Request& request);

// Whose keys these are: the caller's API key id, "" for calls without a principal.
std::string idempotency_scope(const http::Request& request);

// 64 lowercase hex characters identifying the request a key was first used with.
std::string idempotency_fingerprint(std::string_view route_name, std::string_view body);

}  // namespace utxoiq::api
