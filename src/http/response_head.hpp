#pragma once
// The status line and header block of a response, written into a buffer the connection reuses.
//
// Why our own and not Beast's message + serializer: Beast's fields container allocates one node
// per header field and its serializer is allocated per write; counted with bench/profile.sh
// --mallocs, that was about 10 of the 35 malloc calls a /healthz request made. This is a few
// appends into a string whose capacity stays with the connection. Beast still parses requests.
//
// The head holds, in order: the status line (HTTP/1.0 or 1.1, as the request), Content-Type when
// set, the response's extra fields, X-Request-Id, Connection when it differs from the version's
// default (close on 1.1, keep-alive on 1.0), and Content-Length unless the status has no body
// (1xx, 204, 304). A CR or LF inside a name or value would let a value end the head and start a
// body of its own (response splitting), so each is written as a space.
#include <cstddef>
#include <string>
#include <string_view>

#include "http/response.hpp"

namespace utxoiq::http {

struct ResponseHeadInput {
  const Response& response;
  std::string_view request_id;
  unsigned version = 11;  // 10 or 11
  bool keep_alive = true;
  std::size_t content_length = 0;  // of the body a GET would get (HEAD: the body is not sent)
};

// Whether `status` is one that never carries a body (1xx, 204, 304).
bool bodiless_status(int status);

// Replaces `out` with the head (ending in the empty line); keeps out's capacity.
void write_response_head(const ResponseHeadInput& input, std::string& out);

}  // namespace utxoiq::http
