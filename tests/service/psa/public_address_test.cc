// The PSA transport's SSRF guard: which addresses count as public.
#include "psa/public_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>

namespace mtp::psa::detail {
namespace {

bool publicAddress(const std::string& text) {
  sockaddr_storage s{};
  if (text.find(':') != std::string::npos) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&s);
    in6->sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &in6->sin6_addr), 1) << text;
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&s);
    in4->sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &in4->sin_addr), 1) << text;
  }
  return isPublicAddress(reinterpret_cast<const sockaddr*>(&s));
}

TEST(PublicAddress, InternalIPv4IsNotPublic) {
  for (const char* a : {"0.0.0.0", "10.1.2.3", "100.64.0.1", "100.127.255.255", "127.0.0.1", "127.255.0.9",
                        "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1",
                        "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.1.1.1",
                        "240.0.0.1", "255.255.255.255"}) {
    EXPECT_FALSE(publicAddress(a)) << a;
  }
}

TEST(PublicAddress, PublicIPv4IsPublic) {
  for (const char* a : {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
                        "192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.0", "52.12.3.4", "223.255.255.254"}) {
    EXPECT_TRUE(publicAddress(a)) << a;
  }
}

TEST(PublicAddress, InternalIPv6AndEmbeddedIPv4AreNotPublic) {
  for (const char* a : {"::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "2001:db8::1",
                        "100::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "64:ff9b::a00:1",
                        "::127.0.0.1"}) {
    EXPECT_FALSE(publicAddress(a)) << a;
  }
}

TEST(PublicAddress, PublicIPv6IsPublic) {
  for (const char* a : {"2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    EXPECT_TRUE(publicAddress(a)) << a;
  }
}

TEST(PublicAddress, OtherFamiliesAreNotPublic) {
  sockaddr s{};
  s.sa_family = AF_UNIX;
  EXPECT_FALSE(isPublicAddress(&s));
  EXPECT_FALSE(isPublicAddress(nullptr));
}

}  // namespace
}  // namespace mtp::psa::detail
