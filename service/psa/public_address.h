// Whether an address a PSA request connects to is public: the SSRF guard of the PSA transport
// (psa::Reach::kPublicOnly). Internal to service/psa.
#pragma once

#include <sys/socket.h>

namespace mtp::psa::detail {

// False for IPv4 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24,
// 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4, 240/4; IPv6 ::, ::1, fc00::/7,
// fe80::/10, fec0::/10, ff00::/8, 2001:db8::/32, 100::/64, and an IPv4-mapped, -compatible or NAT64
// (64:ff9b::/96) address whose IPv4 part is not public; for any other family. True otherwise.
bool isPublicAddress(const sockaddr* address);

}  // namespace mtp::psa::detail
