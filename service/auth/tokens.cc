#include "auth/tokens.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <jwt/jwt.hpp>
#include <nlohmann/json.hpp>

#include "auth/random.h"

namespace mtp::auth {

namespace {
constexpr std::size_t kKeyBytes = 32;

std::string errnoText() { return std::strerror(errno); }
}  // namespace

SigningKey SigningKey::fromBytes(std::string bytes) {
  ensureSodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  SigningKey k;
  k.kid = toHex(std::string_view(reinterpret_cast<const char*>(digest), 4));
  k.bytes = std::move(bytes);
  return k;
}

std::expected<SigningKey, std::string> loadOrCreateKeyFile(const std::filesystem::path& path) {
  const std::string p = path.string();
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT) {
    // Create it beside its final name, then link it in: a crash never leaves a short key,
    // and two processes starting together agree on one key (link fails if it exists).
    std::string key = randomBytes(kKeyBytes);
    std::string tmp = p + ".tmp." + randomHex(4);
    int wfd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (wfd < 0) return std::unexpected("cannot create key file " + tmp + ": " + errnoText());
    bool ok = ::fchmod(wfd, 0600) == 0 &&
              ::write(wfd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
              ::fsync(wfd) == 0;
    ::close(wfd);
    if (!ok) {
      ::unlink(tmp.c_str());
      return std::unexpected("cannot write key file " + tmp + ": " + errnoText());
    }
    int lrc = ::link(tmp.c_str(), p.c_str());
    int link_errno = errno;
    ::unlink(tmp.c_str());
    if (lrc != 0 && link_errno != EEXIST) {
      errno = link_errno;
      return std::unexpected("cannot create key file " + p + ": " + errnoText());
    }
    if (lrc == 0) return SigningKey::fromBytes(std::move(key));
    fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);  // another process won
  }
  if (fd < 0) return std::unexpected("cannot open key file " + p + ": " + errnoText());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return std::unexpected("cannot stat key file " + p + ": " + errnoText());
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::unexpected("key file " + p + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return std::unexpected("key file " + p +
                           " is accessible by group or others; run `chmod 600 " + p +
                           "` (and rotate the key if others may have read it)");
  }
  std::string key;
  char buf[256];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return std::unexpected("cannot read key file " + p + ": " + errnoText());
    }
    if (n == 0) break;
    key.append(buf, static_cast<std::size_t>(n));
    if (key.size() > 4096) break;
  }
  ::close(fd);
  if (key.size() < kKeyBytes) {
    return std::unexpected("key file " + p + " holds " + std::to_string(key.size()) +
                           " bytes; at least 32 are required (delete it to make a new one)");
  }
  return SigningKey::fromBytes(std::move(key));
}

std::string_view tokenScopeName(TokenScope s) {
  switch (s) {
    case TokenScope::kFull: return "full";
    case TokenScope::kMfaEnroll: return "mfa_enroll";
    case TokenScope::kOrg: return "org";
  }
  return "full";
}

std::optional<TokenScope> parseTokenScope(std::string_view name) {
  if (name == "full") return TokenScope::kFull;
  if (name == "mfa_enroll") return TokenScope::kMfaEnroll;
  if (name == "org") return TokenScope::kOrg;
  return std::nullopt;
}

std::string_view tokenErrorName(TokenError e) {
  switch (e) {
    case TokenError::kMalformed: return "malformed";
    case TokenError::kWrongAlgorithm: return "wrong_algorithm";
    case TokenError::kBadSignature: return "bad_signature";
    case TokenError::kExpired: return "expired";
    case TokenError::kMissingClaim: return "missing_claim";
    case TokenError::kWrongIssuer: return "wrong_issuer";
    case TokenError::kWrongAudience: return "wrong_audience";
  }
  return "malformed";
}

TokenCodec::TokenCodec(SigningKey key, std::string issuer, std::string audience)
    : key_(std::move(key)), issuer_(std::move(issuer)), audience_(std::move(audience)) {}

std::string TokenCodec::issue(TokenClaims c) const {
  if (c.jti.empty()) c.jti = randomHex(16);
  jwt::jwt_object obj{jwt::params::algorithm("HS256"), jwt::params::secret(key_.bytes)};
  obj.header().add_header("kid", key_.kid);
  obj.add_claim("iss", issuer_)
      .add_claim("aud", audience_)
      .add_claim("sub", c.admin_id)
      .add_claim("pid", c.provider_id)
      .add_claim("jti", c.jti)
      .add_claim("iat", c.iat)
      .add_claim("exp", c.exp)
      .add_claim("mfa", c.mfa)
      .add_claim("scope", std::string(tokenScopeName(c.scope)));
  if (c.scope == TokenScope::kOrg) obj.add_claim("org", c.org);
  return obj.signature();
}

namespace {

TokenError mapError(const std::error_code& ec) {
  using V = jwt::VerificationErrc;
  if (ec == V::InvalidAlgorithm || ec == jwt::AlgorithmErrc::NoneAlgorithmUsed) {
    return TokenError::kWrongAlgorithm;
  }
  if (ec == V::TokenExpired) return TokenError::kExpired;
  if (ec == V::InvalidIssuer) return TokenError::kWrongIssuer;
  if (ec == V::InvalidAudience) return TokenError::kWrongAudience;
  if (ec == V::InvalidSignature || ec == jwt::AlgorithmErrc::VerificationErr ||
      ec == jwt::AlgorithmErrc::InvalidKeyErr || ec == jwt::AlgorithmErrc::KeyNotFoundErr) {
    return TokenError::kBadSignature;
  }
  return TokenError::kMalformed;
}

}  // namespace

std::expected<TokenClaims, TokenError> TokenCodec::verify(std::string_view token,
                                                         std::int64_t now) const {
  if (token.empty() || token.size() > 8192) return std::unexpected(TokenError::kMalformed);
  try {
    // Check the header ourselves first: exactly HS256 and our kid.
    auto dot = token.find('.');
    if (dot == std::string_view::npos) return std::unexpected(TokenError::kMalformed);
    std::string header_json = jwt::base64_uri_decode(token.data(), dot);
    auto header = nlohmann::json::parse(header_json, nullptr, /*allow_exceptions=*/false);
    if (!header.is_object()) return std::unexpected(TokenError::kMalformed);
    auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != "HS256") {
      return std::unexpected(TokenError::kWrongAlgorithm);
    }
    auto kid = header.find("kid");
    if (kid != header.end() && (!kid->is_string() || kid->get<std::string>() != key_.kid)) {
      return std::unexpected(TokenError::kBadSignature);
    }

    std::error_code ec;
    auto obj = jwt::decode(jwt::string_view(token.data(), token.size()),
                           jwt::params::algorithms({"HS256"}), ec,
                           jwt::params::secret(key_.bytes), jwt::params::verify(true),
                           jwt::params::issuer(issuer_), jwt::params::aud(audience_));
    if (ec) return std::unexpected(mapError(ec));

    const auto& p = obj.payload().create_json_obj();
    auto str = [&](const char* k) -> std::optional<std::string> {
      auto it = p.find(k);
      if (it == p.end() || !it->is_string()) return std::nullopt;
      return it->get<std::string>();
    };
    auto num = [&](const char* k) -> std::optional<std::int64_t> {
      auto it = p.find(k);
      if (it == p.end() || !it->is_number_integer()) return std::nullopt;
      return it->get<std::int64_t>();
    };
    // `exp` is required: cpp-jwt only checks it when present.
    auto exp = num("exp");
    if (!exp) return std::unexpected(p.contains("exp") ? TokenError::kMalformed : TokenError::kMissingClaim);
    if (*exp <= now) return std::unexpected(TokenError::kExpired);
    // Issuer and audience again, so a token without them is refused too.
    if (str("iss") != issuer_) return std::unexpected(TokenError::kWrongIssuer);
    if (str("aud") != audience_) return std::unexpected(TokenError::kWrongAudience);

    TokenClaims c;
    auto sub = str("sub");
    auto pid = str("pid");
    auto jti = str("jti");
    auto scope_name = str("scope");
    if (!sub || !pid || !jti || !scope_name || sub->empty() || pid->empty() || jti->empty()) {
      return std::unexpected(TokenError::kMissingClaim);
    }
    auto scope = parseTokenScope(*scope_name);
    if (!scope) return std::unexpected(TokenError::kMalformed);
    auto mfa = p.find("mfa");
    if (mfa == p.end() || !mfa->is_boolean()) return std::unexpected(TokenError::kMissingClaim);
    c.admin_id = std::move(*sub);
    c.provider_id = std::move(*pid);
    c.jti = std::move(*jti);
    c.scope = *scope;
    c.mfa = mfa->get<bool>();
    c.iat = num("iat").value_or(0);
    c.exp = *exp;
    if (c.scope == TokenScope::kOrg) {
      auto org = str("org");
      if (!org || org->empty()) return std::unexpected(TokenError::kMissingClaim);
      c.org = std::move(*org);
    }
    return c;
  } catch (...) {
    // cpp-jwt's base64 and JSON parsing may throw on garbage.
    return std::unexpected(TokenError::kMalformed);
  }
}

}  // namespace mtp::auth
