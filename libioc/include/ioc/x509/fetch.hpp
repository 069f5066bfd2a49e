// ioc/x509/fetch.hpp — the certificate chain a live TLS server presents.
//
//   auto ep = x509::parse_endpoint("45.77.65.211:443");       // also "[::1]:8443", "host"
//   auto chain = x509::fetch_chain({.endpoint = *ep, .sni = "evil.example"});
//   // chain->certificates: DER, leaf first, exactly as sent
//
// Boost.Asio over OpenSSL (asio::ssl::stream). The point is to look at bad
// certificates, so nothing is verified: any chain is returned. Every step
// (resolve, connect, STARTTLS dialogue, handshake) runs under one deadline.
// STARTTLS speaks just enough SMTP (EHLO, STARTTLS), IMAP (STARTTLS) or FTP
// (AUTH TLS) to switch the connection to TLS. Asio stays out of this header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"

namespace ioc::x509 {

struct Endpoint {
  std::string host;  ///< name, IPv4 or IPv6 address (no brackets)
  std::string port = "443";
};

/// "host", "host:port", "1.2.3.4:443", "[2001:db8::1]:443", "2001:db8::1" (no port).
Result<Endpoint> parse_endpoint(std::string_view text);

struct FetchOptions {
  Endpoint endpoint;
  std::string sni;                    ///< server name sent; default: the host when it is a name
  std::uint32_t timeout_ms = 10'000;  ///< for the whole exchange
  std::string starttls;               ///< "", "smtp", "imap" or "ftp"
};

struct FetchedChain {
  std::vector<std::string> certificates;  ///< DER, in the order the server sent them
  std::string peer;                       ///< the address connected to ("1.2.3.4:443")
  std::string protocol;                   ///< "TLSv1.3", ...
};

/// kIo with the reason ("connect: Connection refused", "timed out after 10000 ms
/// (handshake)", "STARTTLS refused: 502 ..."), kUsage for an unknown starttls.
Result<FetchedChain> fetch_chain(const FetchOptions& options);

}  // namespace ioc::x509
