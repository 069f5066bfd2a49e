#include "ioc/ioc/embedded.hpp"

#include "ioc/codec/base64.hpp"
#include "ioc/codec/charset.hpp"
#include "ioc/codec/hex.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/codec/url.hpp"
#include "ioc/codec/utf16.hpp"

namespace ioc::scan {

Result<unsigned> parse_decoders(std::string_view list) {
  unsigned mask = 0;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view name = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (name == "all")
      mask |= kDecodeAll;
    else if (name == "base64")
      mask |= kDecodeBase64;
    else if (name == "hex")
      mask |= kDecodeHex;
    else if (name == "url")
      mask |= kDecodeUrl;
    else if (name == "utf16")
      mask |= kDecodeUtf16;
    else if (name == "gzip")
      mask |= kDecodeGzip;
    else if (!name.empty())
      return make_error(ErrorCode::kUsage, "unknown decoder '" + std::string(name) +
                                               "'; use base64, hex, url, utf16, gzip or all");
  }
  if (mask == 0) return make_error(ErrorCode::kUsage, "no decoder given");
  return mask;
}

namespace {

constexpr bool is_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_b64(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Well-formed UTF-8, at least 4 bytes, at most 5% control bytes, some letters.
bool mostly_text(std::string_view s) {
  if (s.size() < 4 || !codec::is_valid_utf8(s)) return false;
  std::size_t bad = 0, letters = 0;
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) ++bad;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ++letters;
  }
  return bad * 20 <= s.size() && letters * 4 >= s.size() / 4;
}

class Finder {
 public:
  Finder(const EmbeddedOptions& o, std::vector<DecodedText>& out) : o_(o), out_(out) {}

  struct Span {
    std::size_t b, e;
  };

  // `outer`: the span of the outermost blob when `text` is itself decoded
  // (nested blobs report it); nullptr for the input.
  void run(std::string_view text, std::size_t depth, const std::string& chain, const Span* outer) {
    if (depth >= o_.limits.max_depth) return;
    std::size_t i = 0;
    while (i < text.size() && budget_ok()) {
      const char c = text[i];
      if ((o_.decoders & kDecodeUrl) && c == '%' && i + 2 < text.size() && is_hex(text[i + 1]) &&
          is_hex(text[i + 2])) {
        i = url_token(text, i, depth, chain, outer);
        continue;
      }
      if (!is_b64(c) || (i > 0 && is_b64(text[i - 1]))) {
        ++i;
        continue;
      }
      std::size_t e = i;
      bool all_hex = true;
      for (; e < text.size() && is_b64(text[e]); ++e)
        if (!is_hex(text[e])) all_hex = false;
      std::size_t pad = e;
      while (pad < text.size() && pad - e < 2 && text[pad] == '=') ++pad;
      const std::string_view run = text.substr(i, pad - i);
      bool used = false;
      if (all_hex && (o_.decoders & kDecodeHex) && e - i >= o_.min_hex && (e - i) % 2 == 0)
        used = try_hex(run.substr(0, e - i), depth, chain, outer ? *outer : Span{i, e});
      if (!used && (o_.decoders & kDecodeBase64) && e - i >= o_.min_base64)
        used = try_base64(run, depth, chain, outer ? *outer : Span{i, pad});
      i = pad;
    }
  }

 private:
  bool budget_ok() const { return used_ <= o_.limits.max_output; }

  void emit(std::string text, const std::string& chain, Span s, std::size_t depth) {
    used_ += text.size();
    if (!budget_ok()) return;
    out_.push_back({std::move(text), chain, s.b, s.e});
    // Search the decoded text again (out_ may grow meanwhile: work on a copy).
    const std::string inner = out_.back().text;
    run(inner, depth + 1, chain + ">", &s);
  }

  bool try_hex(std::string_view run, std::size_t depth, const std::string& chain, Span s) {
    auto bytes = codec::decode_hex(run);
    if (!bytes || !mostly_text(*bytes)) return false;
    emit(std::move(*bytes), chain + "hex", s, depth);
    return true;
  }

  bool try_base64(std::string_view run, std::size_t depth, const std::string& chain, Span s) {
    codec::Base64DecodeOptions bo;
    bo.max_output = o_.limits.max_output;
    auto bytes = codec::decode_base64(run, bo);
    if (!bytes || bytes->size() < 4) return false;
    std::string how = chain + "base64";
    std::string data = std::move(*bytes);
    if (o_.decoders & kDecodeGzip) {
      codec::InflateOptions io;
      io.max_output = std::min(o_.limits.max_inflate_total, o_.limits.max_output);
      io.max_ratio = o_.limits.max_inflate_ratio;
      const auto container = codec::detect_container(data);
      if (container == codec::Container::kGzip || container == codec::Container::kZlib) {
        auto inflated = codec::inflate(data, container, io);
        if (!inflated) return false;
        data = std::move(*inflated);
        how += container == codec::Container::kGzip ? ">gzip" : ">zlib";
      } else if (!mostly_text(data)) {
        // Raw deflate has no header (PowerShell's IO.Compression.DeflateStream,
        // as Empire and Metasploit stagers use): try it on binary blobs and keep
        // it only when it inflates to text.
        auto inflated = codec::inflate(data, codec::Container::kRaw, io);
        if (inflated && !inflated->empty() &&
            (mostly_text(*inflated) || codec::looks_like_utf16le(*inflated))) {
          data = std::move(*inflated);
          how += ">deflate";
        }
      }
    }
    if ((o_.decoders & kDecodeUtf16) && codec::looks_like_utf16le(data)) {
      auto text = codec::decode_utf16(data, codec::Endian::kLittle);
      if (text && mostly_text(*text)) {
        emit(std::move(*text), how + ">utf16le", s, depth);
        return true;
      }
    }
    if (!mostly_text(data)) return false;
    emit(std::move(data), how, s, depth);
    return true;
  }

  std::size_t url_token(std::string_view text, std::size_t pct, std::size_t depth,
                        const std::string& chain, const Span* outer) {
    const auto token_char = [](char c) {
      return static_cast<unsigned char>(c) > 0x20 && c != '"' && c != '\'' && c != '<' && c != '>';
    };
    std::size_t b = pct;
    while (b > 0 && token_char(text[b - 1])) --b;
    std::size_t e = pct;
    while (e < text.size() && token_char(text[e])) ++e;
    const std::string_view token = text.substr(b, e - b);
    auto decoded = codec::decode_percent(token);
    if (decoded && *decoded != token && mostly_text(*decoded))
      emit(std::move(*decoded), chain + "url", outer ? *outer : Span{b, e}, depth);
    return e;
  }

  const EmbeddedOptions& o_;
  std::vector<DecodedText>& out_;
  std::size_t used_ = 0;
};

}  // namespace

void find_embedded(std::string_view text, const EmbeddedOptions& options,
                   std::vector<DecodedText>& out) {
  if (options.decoders == 0) return;
  Finder(options, out).run(text, 0, "", nullptr);
}

void find_wide_strings(std::string_view bytes, std::size_t min_chars,
                       std::vector<DecodedText>& out) {
  std::size_t i = 0;
  while (i + 1 < bytes.size()) {
    std::size_t e = i;
    std::string text;
    while (e + 1 < bytes.size() && bytes[e + 1] == '\0' &&
           ((static_cast<unsigned char>(bytes[e]) >= 0x20 &&
             static_cast<unsigned char>(bytes[e]) < 0x7f) ||
            bytes[e] == '\t')) {
      text += bytes[e];
      e += 2;
    }
    if (text.size() >= min_chars) {
      out.push_back({std::move(text), "utf16le", i, e});
      i = e;
    } else {
      i = e > i ? e : i + 1;
    }
  }
}

}  // namespace ioc::scan
