#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace mtp::http {

namespace fs = std::filesystem;

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void addUiHeaders(Response& r, bool immutable) {
  r.headers.emplace_back("Content-Security-Policy", std::string(kWebContentSecurityPolicy));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
}

}  // namespace

std::string contentTypeFor(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      // Pistache 0.0.5 cannot parse `font/woff2`; browsers load fonts whatever the type says.
      {".woff2", "application/font-woff2"},
      {".woff", "application/font-woff"},
      {".ttf", "application/x-font-ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (endsWith(name, ext)) return std::string(type);
  }
  return "application/octet-stream";
}

std::expected<std::shared_ptr<const StaticFiles>, std::string> StaticFiles::load(const std::string& dir) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::path(dir), ec);
  if (ec || !fs::is_directory(root, ec)) return std::unexpected("web folder " + dir + " does not exist");
  if (!fs::is_regular_file(root / "index.html", ec)) {
    return std::unexpected("web folder " + dir + " has no index.html (build it: cd web && npm ci && npm run build)");
  }
  auto files = std::shared_ptr<StaticFiles>(new StaticFiles());
  for (fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    const fs::path rel = fs::relative(it->path(), root, ec);
    if (ec) break;
    std::string key = "/" + rel.generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    if (!in.good() && !in.eof()) return std::unexpected("cannot read " + it->path().string());
    files->files_.emplace(std::move(key), File{contentTypeFor(rel.filename().string()), std::move(os).str()});
  }
  if (ec) return std::unexpected("cannot list web folder " + dir + ": " + ec.message());
  return std::shared_ptr<const StaticFiles>(std::move(files));
}

std::size_t StaticFiles::totalBytes() const {
  std::size_t n = 0;
  for (const auto& [k, f] : files_) n += f.body.size();
  return n;
}

Response StaticFiles::serve(std::string_view method, std::string_view path) const {
  Response r;
  const bool asset = path.starts_with("/assets/");
  auto it = path == "/" ? files_.end() : files_.find(path);
  if (it == files_.end() && asset) {
    // A stale hashed asset: answering index.html would hand HTML to a <script> tag.
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = method == "HEAD" ? "" : "not found\n";
    addUiHeaders(r, false);
    return r;
  }
  if (it == files_.end()) it = files_.find(std::string_view("/index.html"));
  r.status = 200;
  r.content_type = it->second.content_type;
  if (method != "HEAD") r.body = it->second.body;
  addUiHeaders(r, asset);
  return r;
}

}  // namespace mtp::http
