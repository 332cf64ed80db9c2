#include "psa/public_address.h"

#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace mtp::psa::detail {

namespace {

struct Block4 {
  std::uint32_t net;
  int bits;
};

constexpr std::array<Block4, 14> kNotPublic4{{
    {0x00000000, 8},   {0x0A000000, 8},   {0x64400000, 10}, {0x7F000000, 8},  {0xA9FE0000, 16},
    {0xAC100000, 12},  {0xC0000000, 24},  {0xC0000200, 24}, {0xC0A80000, 16}, {0xC6120000, 15},
    {0xC6336400, 24},  {0xCB007100, 24},  {0xE0000000, 4},  {0xF0000000, 4},
}};

bool public4(std::uint32_t a) {
  for (const auto& b : kNotPublic4) {
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - b.bits);
    if ((a & mask) == b.net) return false;
  }
  return true;
}

std::uint32_t v4At(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

bool public6(const unsigned char* a) {
  static constexpr unsigned char kZero[12] = {};
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  static constexpr unsigned char kDiscard[8] = {0x01, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(a, kZero, 12) == 0) {  // ::, ::1 and the deprecated IPv4-compatible form
    const std::uint32_t v4 = v4At(a + 12);
    return v4 > 1 && public4(v4);
  }
  if (std::memcmp(a, kMapped, 12) == 0 || std::memcmp(a, kNat64, 12) == 0) return public4(v4At(a + 12));
  if ((a[0] & 0xfe) == 0xfc) return false;                 // fc00::/7 unique local
  if (a[0] == 0xfe && (a[1] & 0x80) != 0) return false;     // fe80::/10 link-local, fec0::/10 site-local
  if (a[0] == 0xff) return false;                           // ff00::/8 multicast
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return false;  // documentation
  if (std::memcmp(a, kDiscard, 8) == 0) return false;       // 100::/64 discard
  return true;
}

}  // namespace

bool isPublicAddress(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    return public4(ntohl(in.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in{};
    std::memcpy(&in, address, sizeof in);
    return public6(in.sin6_addr.s6_addr);
  }
  return false;
}

}  // namespace mtp::psa::detail
