#include "ioc/x509/fetch.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

#include "ioc/ioc/validate.hpp"

namespace ioc::x509 {

Result<Endpoint> parse_endpoint(std::string_view text) {
  Endpoint ep;
  if (text.empty()) return make_error(ErrorCode::kUsage, "empty host");
  if (text.front() == '[') {  // [v6]:port
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos)
      return make_error(ErrorCode::kUsage, "missing ']' in '" + std::string(text) + "'");
    ep.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':' || rest.size() == 1)
        return make_error(ErrorCode::kUsage,
                          "expected ':PORT' after ']' in '" + std::string(text) + "'");
      ep.port = std::string(rest.substr(1));
    }
  } else if (std::count(text.begin(), text.end(), ':') > 1) {  // bare IPv6, no port
    ep.host = std::string(text);
  } else if (const std::size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    ep.host = std::string(text.substr(0, colon));
    ep.port = std::string(text.substr(colon + 1));
  } else {
    ep.host = std::string(text);
  }
  if (ep.host.empty())
    return make_error(ErrorCode::kUsage, "no host in '" + std::string(text) + "'");
  if (ep.port.empty() || ep.port.size() > 5 ||
      ep.port.find_first_not_of("0123456789") != std::string::npos || std::stoi(ep.port) == 0 ||
      std::stoi(ep.port) > 65535)
    return make_error(ErrorCode::kUsage, "bad port in '" + std::string(text) + "'");
  return ep;
}

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCodeB = boost::system::error_code;

// Synchronous steps with one deadline: each starts an asynchronous operation
// and runs the io_context until it completes or the deadline passes (then the
// socket is closed and the step reports a timeout).
class Client {
 public:
  Client(std::uint32_t timeout_ms)
      : deadline_(Clock::now() + std::chrono::milliseconds(timeout_ms)),
        timeout_ms_(timeout_ms),
        ctx_(asio::ssl::context::tls_client),
        stream_(ioc_, ctx_) {
    ctx_.set_verify_mode(asio::ssl::verify_none);
    // Bad certificates are the point: accept old protocols, small keys, SHA-1.
    SSL_CTX_set_security_level(ctx_.native_handle(), 0);
    SSL_CTX_set_min_proto_version(ctx_.native_handle(), TLS1_VERSION);
  }

  template <typename Start>
  Result<void> step(std::string_view what, Start start) {
    ErrorCodeB ec = asio::error::would_block;
    start([&ec](ErrorCodeB e, auto&&...) { ec = e; });
    ioc_.restart();
    ioc_.run_until(deadline_);
    if (ec == asio::error::would_block) {
      ErrorCodeB ignore;
      stream_.lowest_layer().close(ignore);
      ioc_.restart();
      ioc_.run();
      return make_error(ErrorCode::kIo, "timed out after " + std::to_string(timeout_ms_) + " ms (" +
                                            std::string(what) + ")");
    }
    if (ec) return make_error(ErrorCode::kIo, std::string(what) + ": " + ec.message());
    return {};
  }

  Result<std::string> connect(const Endpoint& ep) {
    tcp::resolver resolver(ioc_);
    tcp::resolver::results_type results;
    auto r = step("resolve", [&](auto done) {
      resolver.async_resolve(ep.host, ep.port,
                             [&results, done](ErrorCodeB e, tcp::resolver::results_type res) {
                               results = std::move(res);
                               done(e);
                             });
    });
    if (!r) return r.error();
    tcp::endpoint peer;
    r = step("connect", [&](auto done) {
      asio::async_connect(stream_.lowest_layer(), results,
                          [&peer, done](ErrorCodeB e, const tcp::endpoint& p) {
                            peer = p;
                            done(e);
                          });
    });
    if (!r) return r.error();
    const auto addr = peer.address();
    return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
           std::to_string(peer.port());
  }

  // One reply line (CRLF or LF ended), at most 4 KiB.
  Result<std::string> read_line() {
    if (buffer_.size() > 65536) return make_error(ErrorCode::kIo, "STARTTLS: reply too long");
    auto r = step("STARTTLS read", [&](auto done) {
      asio::async_read_until(stream_.next_layer(), asio::dynamic_buffer(buffer_, 65536), '\n',
                             done);
    });
    if (!r) return r.error();
    const std::size_t nl = buffer_.find('\n');
    std::string line = buffer_.substr(0, nl);
    buffer_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

  // SMTP/FTP replies: "220-more" lines, then "220 last". Returns the last line.
  Result<std::string> read_reply() {
    for (int i = 0; i < 100; ++i) {
      auto line = read_line();
      if (!line) return line;
      if (line->size() < 4 || (*line)[3] != '-') return line;
    }
    return make_error(ErrorCode::kIo, "STARTTLS: reply of more than 100 lines");
  }

  Result<void> send(const std::string& text) {
    return step("STARTTLS write", [&](auto done) {
      asio::async_write(stream_.next_layer(), asio::buffer(text), done);
    });
  }

  Result<void> starttls(const std::string& protocol) {
    const auto expect = [](const Result<std::string>& line,
                           std::string_view prefix) -> Result<void> {
      if (!line) return line.error();
      if (line->rfind(prefix, 0) != 0)
        return make_error(ErrorCode::kIo, "STARTTLS refused: " + line->substr(0, 200));
      return {};
    };
    if (protocol == "smtp") {
      if (auto r = expect(read_reply(), "220"); !r) return r;
      if (auto r = send("EHLO certsum.invalid\r\n"); !r) return r;
      if (auto r = expect(read_reply(), "250"); !r) return r;
      if (auto r = send("STARTTLS\r\n"); !r) return r;
      return expect(read_reply(), "220");
    }
    if (protocol == "ftp") {
      if (auto r = expect(read_reply(), "220"); !r) return r;
      if (auto r = send("AUTH TLS\r\n"); !r) return r;
      return expect(read_reply(), "234");
    }
    // IMAP: "* OK" greeting, then our tagged command's tagged reply.
    if (auto r = expect(read_line(), "* OK"); !r) return r;
    if (auto r = send("a1 STARTTLS\r\n"); !r) return r;
    for (int i = 0; i < 100; ++i) {
      auto line = read_line();
      if (!line) return line.error();
      if (line->rfind("a1 ", 0) == 0) return expect(line, "a1 OK");
    }
    return make_error(ErrorCode::kIo, "STARTTLS: no tagged reply from the IMAP server");
  }

  Result<void> handshake(const std::string& sni) {
    if (!sni.empty()) SSL_set_tlsext_host_name(stream_.native_handle(), sni.c_str());
    return step("handshake",
                [&](auto done) { stream_.async_handshake(asio::ssl::stream_base::client, done); });
  }

  std::vector<std::string> chain() {
    std::vector<std::string> out;
    SSL* ssl = stream_.native_handle();
    const auto der = [](X509* x) {
      unsigned char* buf = nullptr;
      const int n = i2d_X509(x, &buf);
      std::string s;
      if (n > 0) s.assign(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
      OPENSSL_free(buf);
      return s;
    };
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
      for (int i = 0; i < sk_X509_num(chain); ++i) out.push_back(der(sk_X509_value(chain, i)));
    } else if (X509* leaf = SSL_get1_peer_certificate(ssl)) {
      out.push_back(der(leaf));
      X509_free(leaf);
    }
    return out;
  }

  std::string protocol() { return SSL_get_version(stream_.native_handle()); }

  void close() {
    ErrorCodeB ignore;
    stream_.lowest_layer().close(ignore);
  }

 private:
  asio::io_context ioc_;
  Clock::time_point deadline_;
  std::uint32_t timeout_ms_;
  asio::ssl::context ctx_;
  asio::ssl::stream<tcp::socket> stream_;
  std::string buffer_;
};

}  // namespace

Result<FetchedChain> fetch_chain(const FetchOptions& o) {
  if (!o.starttls.empty() && o.starttls != "smtp" && o.starttls != "imap" && o.starttls != "ftp")
    return make_error(ErrorCode::kUsage,
                      "unknown STARTTLS protocol '" + o.starttls + "'; use smtp, imap or ftp");
  Client client(o.timeout_ms);
  FetchedChain out;
  auto peer = client.connect(o.endpoint);
  if (!peer) return peer.error();
  out.peer = *peer;
  if (!o.starttls.empty()) {
    if (auto r = client.starttls(o.starttls); !r) return r.error();
  }
  std::string sni = o.sni;
  // An IP literal is not a server name (RFC 6066 §3): sent only when asked for.
  if (sni.empty() && !scan::parse_ipv4(o.endpoint.host) && !scan::parse_ipv6(o.endpoint.host))
    sni = o.endpoint.host;
  if (auto r = client.handshake(sni); !r) return r.error();
  out.certificates = client.chain();
  out.protocol = client.protocol();
  client.close();
  if (out.certificates.empty()) return make_error(ErrorCode::kIo, "the server sent no certificate");
  return out;
}

}  // namespace ioc::x509
