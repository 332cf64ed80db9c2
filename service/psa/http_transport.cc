#include "psa/http_transport.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <mutex>

#include "psa/public_address.h"

namespace mtp::psa::detail {

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// CURLOPT_OPENSOCKETFUNCTION: the address curl is about to connect to, after name resolution
// (so a name that resolves, or re-resolves, to an internal address is caught too).
curl_socket_t openPublicOnly(void* refused, curlsocktype purpose, curl_sockaddr* address) {
  if (purpose == CURLSOCKTYPE_IPCXN && !isPublicAddress(&address->addr)) {
    *static_cast<bool*>(refused) = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::expected<HttpReply, std::string> sendHttp(const std::string& method, const std::string& url,
                                               const HeaderList& headers, const std::string& body,
                                               const Transport& transport) {
  globalInit();
  CURL* h = curl_easy_init();
  if (h == nullptr) return std::unexpected("cannot start an HTTP request");
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  HttpReply reply;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(transport.connect.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(transport.total.count()));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // credentials never follow a redirect
  bool refused = false;
  if (transport.reach == Reach::kPublicOnly) {
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, openPublicOnly);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &refused);
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
  if (method != "GET") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  if (rc != CURLE_OK && refused) {
    return std::unexpected(std::string(
        "PSA unreachable: the site URL leads to an address that is not public (an on-premises PSA needs "
        "mtpd --psa-allow-private-networks)"));
  }
  if (rc != CURLE_OK) return std::unexpected(std::string("PSA unreachable: ") + curl_easy_strerror(rc));
  return reply;
}

std::string replyError(const std::string& what, const HttpReply& r) {
  std::string body = r.body.substr(0, 200);
  for (char& c : body) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return what + ": PSA answered " + std::to_string(r.status) + (body.empty() ? "" : ": " + body);
}

std::string trimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace mtp::psa::detail
