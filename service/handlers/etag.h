// Optimistic concurrency over HTTP (issue 11 item 1): a resource with PUT or DELETE answers
// its GET and its PUT with the strong `ETag: "<version>"`; a PUT or DELETE with `If-Match`
// naming another version answers 412 precondition_failed and writes nothing. `If-Match: *` or
// none: no condition. Weak tags (`W/"3"`) never match (If-Match compares strongly).
#pragma once

#include <cstdint>
#include <string>

#include "app/if_match.h"
#include "http/request_context.h"

namespace mtp::handlers {

// The request's If-Match as the use cases take it.
app::IfMatch ifMatchOf(const http::RequestContext& ctx);

// `r` with `ETag: "<version>"`.
http::Response withEtag(http::Response r, std::int64_t version);

// The 201 answer of a create: `r` with `Location: <path>` (the new resource's own path) and
// `ETag: "<version>"`. A replayed Idempotency-Key answer carries both again.
http::Response created(http::Response r, std::string location, std::int64_t version);

}  // namespace mtp::handlers
