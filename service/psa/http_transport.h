// One HTTP request over libcurl with connect and total timeouts, connecting only where the
// Transport's reach allows: the PSA clients' transport.
// Internal to service/psa. Thread-safety: safe from any thread (one easy handle per call).
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "psa/psa_client.h"

namespace mtp::psa::detail {

struct HttpReply {
  long status = 0;
  std::string body;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Error: the transport's failure (timeout, refused, DNS), without the request's headers.
std::expected<HttpReply, std::string> sendHttp(const std::string& method, const std::string& url,
                                               const HeaderList& headers, const std::string& body,
                                               const Transport& transport);

// "PSA answered 500: <first 200 bytes of the body>" style summary of a non-2xx reply.
std::string replyError(const std::string& what, const HttpReply& r);

// The URL without a trailing slash.
std::string trimSlash(std::string url);

}  // namespace mtp::psa::detail
