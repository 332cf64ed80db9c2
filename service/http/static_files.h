// The built web UI (web/dist) served by mtpd itself: every file of the folder is read into
// memory once at start-up, so a request can only ever name one of those files (no path is
// ever joined to a request, so traversal is impossible by construction).
//
//   /assets/*          the file, Cache-Control: public, max-age=31536000, immutable (Vite
//                      puts a content hash in every asset name)
//   /<file in dist>    the file, Cache-Control: no-cache
//   anything else      index.html (the client routes: /organizations, /activate, ...)
//
// Only GET and HEAD outside /api/ (and outside the API's own routes such as /healthz) reach
// it; the server decides that (http/server.cc). Every answer carries the UI's strict
// Content-Security-Policy, nosniff, Referrer-Policy and frame denial.
// Thread-safety: immutable after load(); serve() is const and safe from any thread.
#pragma once

#include <expected>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "http/request_context.h"

namespace mtp::http {

// The CSP of every UI answer: nothing but this origin, no inline script, no framing.
inline constexpr std::string_view kWebContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

class StaticFiles {
 public:
  // Reads every regular file under `dir` (symlinks are not followed out of it). Fails when
  // the folder or its index.html is missing, or a file cannot be read.
  static std::expected<std::shared_ptr<const StaticFiles>, std::string> load(const std::string& dir);

  // The answer for a GET or HEAD of `path` (the request target without its query).
  Response serve(std::string_view method, std::string_view path) const;

  std::size_t fileCount() const { return files_.size(); }
  std::size_t totalBytes() const;

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File, std::less<>> files_;  // "/index.html", "/assets/index-abc.js", ...
};

// The media type Pistache can write for a file name (Pistache 0.0.5 knows no `font/*`).
std::string contentTypeFor(std::string_view name);

}  // namespace mtp::http
