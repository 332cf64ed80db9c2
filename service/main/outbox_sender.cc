#include "main/outbox_sender.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <ctime>

namespace mtp::service {
namespace {

std::int64_t systemSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool hasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

bool plausibleAddress(const std::string& a) {
  const auto at = a.find('@');
  return !a.empty() && a.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" \t\r\n<>,;\"()") == std::string::npos;
}

std::string base64(const std::string& in) {
  static constexpr char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
  }
  return out;
}

// RFC 2047 for a subject that is not plain printable ASCII.
std::string headerText(const std::string& s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
  return plain ? s : "=?UTF-8?B?" + base64(s) + "?=";
}

std::string rfc5322Date(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

void curlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t readCallback(char* buffer, std::size_t size, std::size_t nitems, void* userp) {
  auto* u = static_cast<Upload*>(userp);
  const std::size_t n = std::min(size * nitems, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

}  // namespace

std::string checkOutboxOptions(const OutboxSenderOptions& o) {
  const bool smtp = o.smtp_url.rfind("smtp://", 0) == 0 || o.smtp_url.rfind("smtps://", 0) == 0;
  if (!smtp || o.smtp_url.size() <= 8 || hasLineBreak(o.smtp_url))
    return "smtp url must look like smtp://host:port (got `" + o.smtp_url + "`)";
  if (!plausibleAddress(o.from)) return "smtp sender `" + o.from + "` is not an email address";
  if (o.max_attempts < 1) return "smtp max attempts must be at least 1";
  if (o.batch < 1) return "smtp batch must be at least 1";
  return "";
}

std::string composeMessage(const model::EmailRecord& e, const std::string& from, std::int64_t now) {
  std::string m;
  m += "Date: " + rfc5322Date(now) + "\r\n";
  m += "From: " + from + "\r\n";
  m += "To: " + e.to_address + "\r\n";
  m += "Subject: " + headerText(e.subject) + "\r\n";
  m += "Message-ID: <" + e.id + "@mtp>\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n";
  m += "\r\n";
  // Every line ends in CRLF (libcurl dot-stuffs lines that start with '.').
  for (std::size_t i = 0; i < e.body.size(); ++i) {
    const char c = e.body[i];
    if (c == '\r') {
      if (i + 1 < e.body.size() && e.body[i + 1] == '\n') ++i;
      m += "\r\n";
    } else if (c == '\n') {
      m += "\r\n";
    } else {
      m += c;
    }
  }
  if (m.size() < 2 || m.compare(m.size() - 2, 2, "\r\n") != 0) m += "\r\n";
  return m;
}

OutboxSender::OutboxSender(store::Store& store, OutboxSenderOptions options)
    : store_(store), options_(std::move(options)) {}

std::expected<std::unique_ptr<OutboxSender>, std::string> OutboxSender::start(store::Store& store,
                                                                             OutboxSenderOptions options) {
  if (auto bad = checkOutboxOptions(options); !bad.empty()) return std::unexpected(bad);
  curlGlobalInit();
  std::unique_ptr<OutboxSender> s(new OutboxSender(store, std::move(options)));
  s->thread_ = std::thread([p = s.get()] { p->run(); });
  return s;
}

OutboxSender::~OutboxSender() { stop(); }

void OutboxSender::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void OutboxSender::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t OutboxSender::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

std::int64_t OutboxSender::failed() const {
  std::lock_guard lock(mu_);
  return failed_;
}

std::int64_t OutboxSender::now() const { return options_.clock ? options_.clock() : systemSeconds(); }

void OutboxSender::run() {
  // The URL may carry relay credentials: not logged.
  spdlog::info("outbox: delivering to the SMTP relay, polling every {} ms, {} attempts at most",
               options_.poll_interval.count(), options_.max_attempts);
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    pass();
    lock.lock();
    cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

void OutboxSender::pass() {
  if (options_.may_run && !options_.may_run()) return;  // another replica sends the outbox
  // Emails waiting out a back-off are skipped below: fetch past them so newer ones still go.
  int limit = options_.batch;
  {
    std::lock_guard lock(mu_);
    limit += static_cast<int>(std::min<std::size_t>(not_before_.size(), 1000));
  }
  auto pending = store_.query([&](store::Tx& tx) { return tx.pendingEmails(limit, options_.max_attempts); });
  if (!pending) {
    spdlog::warn("outbox: cannot read pending emails: {}", pending.error().text());
    return;
  }
  const auto steady = std::chrono::steady_clock::now();
  for (const auto& email : *pending) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      auto nb = not_before_.find(email.id);
      if (nb != not_before_.end() && nb->second > steady) continue;
    }
    const std::string error = deliver(email);
    if (error.empty()) {
      auto marked = store_.transact([&](store::Tx& tx) { return tx.markEmailSent(email.id, now()); });
      if (!marked) spdlog::error("outbox: email {} sent but not marked sent: {}", email.id, marked.error().text());
      else spdlog::info("outbox: email {} sent", email.id);
      std::lock_guard lock(mu_);
      ++sent_;
      not_before_.erase(email.id);
      continue;
    }
    {
      std::lock_guard lock(mu_);
      if (stopping_ && error == "aborted: shutting down") return;  // not the email's fault
    }
    auto marked = store_.transact([&](store::Tx& tx) { return tx.markEmailFailed(email.id, error); });
    if (!marked) spdlog::error("outbox: email {} failure not recorded: {}", email.id, marked.error().text());
    const int attempts = email.attempts + 1;
    spdlog::warn("outbox: email {} attempt {}/{} failed: {}", email.id, attempts, options_.max_attempts, error);
    std::lock_guard lock(mu_);
    ++failed_;
    if (attempts >= options_.max_attempts) {
      not_before_.erase(email.id);
    } else {
      auto delay = options_.poll_interval * (1LL << std::min(attempts - 1, 20));
      not_before_[email.id] = steady + std::min<std::chrono::milliseconds>(
                                           std::chrono::duration_cast<std::chrono::milliseconds>(delay),
                                           options_.max_backoff);
    }
  }
}

std::string OutboxSender::deliver(const model::EmailRecord& email) {
  if (!plausibleAddress(email.to_address)) return "recipient is not an email address";
  if (hasLineBreak(email.subject)) return "subject contains a line break";
  const std::string message = composeMessage(email, options_.from, now());

  CURL* curl = curl_easy_init();
  if (!curl) return "libcurl could not start";
  // libcurl calls this about once a second and whenever data moves: stop() aborts the
  // exchange instead of waiting for the timeouts.
  auto progress = [](void* p, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> int {
    auto* self = static_cast<OutboxSender*>(p);
    std::lock_guard lock(self->mu_);
    return self->stopping_ ? 1 : 0;  // non-zero aborts
  };

  Upload upload{&message};
  char errbuf[CURL_ERROR_SIZE] = {0};
  const std::string to = "<" + email.to_address + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  const std::string from = "<" + options_.from + ">";
  curl_easy_setopt(curl, CURLOPT_URL, options_.smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, readCallback);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.send_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, +progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
  const CURLcode rc = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return "";
  if (rc == CURLE_ABORTED_BY_CALLBACK) return "aborted: shutting down";
  std::string error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  while (!error.empty() && (error.back() == '\n' || error.back() == '\r')) error.pop_back();
  if (reply > 0) error += " (smtp " + std::to_string(reply) + ")";
  return error;
}

}  // namespace mtp::service
