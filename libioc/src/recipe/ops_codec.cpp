// Codec operations: metadata plus a one-line forward to ioc::codec each.
#include <array>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/charcodes.hpp"
#include "ioc/codec/charset.hpp"
#include "ioc/codec/hex.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/codec/rc4.hpp"
#include "ioc/codec/url.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/codec/xor.hpp"
#include "recipe/ops.hpp"
#include "recipe/strings.hpp"

namespace ioc::recipe::detail {

Result<std::string> cc_string(const nlohmann::json& a, std::size_t i, std::string_view fallback,
                              std::string_view op) {
  if (!a.is_array() || i >= a.size()) return std::string(fallback);
  if (!a[i].is_string())
    return cc_unsupported(op, "argument " + std::to_string(i + 1) + " is not a string");
  return a[i].get<std::string>();
}

Result<bool> cc_bool(const nlohmann::json& a, std::size_t i, bool fallback, std::string_view op) {
  if (!a.is_array() || i >= a.size()) return fallback;
  if (!a[i].is_boolean())
    return cc_unsupported(op, "argument " + std::to_string(i + 1) + " is not a boolean");
  return a[i].get<bool>();
}

Unexpected cc_unsupported(std::string_view op, std::string_view what) {
  return make_error(ErrorCode::kUnsupported, "CyberChef's '" + std::string(op) +
                                                 "': " + std::string(what) + " is not supported");
}

Result<void> check_growth(std::string_view input, std::size_t factor, const OpContext& ctx,
                          std::string_view op) {
  if (input.size() > ctx.limits.max_output / factor) {
    return make_error(ErrorCode::kLimitExceeded, std::string(op) + ": output would exceed " +
                                                     format_size(ctx.limits.max_output) +
                                                     " (--max-output)");
  }
  return {};
}

namespace {

using nlohmann::json;
using namespace std::string_view_literals;

// ---- argument choices -------------------------------------------------------
constexpr std::string_view kB64DecodeAlphabets[] = {"auto", "standard", "url"};
constexpr std::string_view kB64EncodeAlphabets[] = {"standard", "url"};
constexpr std::string_view kKeyFormats[] = {"utf8", "hex", "base64", "latin1"};

codec::Base64Alphabet alphabet_of(const std::string& name) {
  if (name == "standard") return codec::Base64Alphabet::kStandard;
  if (name == "url") return codec::Base64Alphabet::kUrlSafe;
  return codec::Base64Alphabet::kAuto;
}

// A key given as text in one of kKeyFormats, as bytes.
Result<std::string> key_bytes(const std::string& key, const std::string& format) {
  if (format == "hex") return codec::decode_hex(key, {.strict = true});
  if (format == "base64") return codec::decode_base64(key, {.strict = true});
  if (format == "latin1") return codec::encode_text(key, "latin1");
  return key;
}

// CyberChef's {option, string} argument -> our key and key_format.
Result<std::vector<std::string>> cc_key(const json& a, std::string_view op) {
  if (!a.is_array() || a.empty() || !a[0].is_object())
    return cc_unsupported(op, "a key that is not {option, string}");
  std::string option = ascii_lower(a[0].value("option", "UTF8"));
  std::string key = a[0].value("string", "");
  if (option == "utf8")
    option = "utf8";
  else if (option == "hex" || option == "base64" || option == "latin1") {
  } else {
    return cc_unsupported(op, "key format '" + a[0].value("option", "") + "'");
  }
  return std::vector<std::string>{key, option};
}

json cc_key_json(const Args& args) {
  static const std::array<std::pair<std::string_view, std::string_view>, 4> names = {
      {{"utf8", "UTF8"}, {"hex", "Hex"}, {"base64", "Base64"}, {"latin1", "Latin1"}}};
  std::string option = "UTF8";
  for (const auto& [ours, theirs] : names)
    if (args.text(1) == ours) option = theirs;
  return json{{"option", option}, {"string", args.text(0)}};
}

// CyberChef's delimiter names and the characters they stand for.
constexpr std::pair<std::string_view, std::string_view> kCyberChefDelimiters[] = {
    {"Space", " "},      {"Comma", ","},   {"Semi-colon", ";"}, {"Colon", ":"},
    {"Line feed", "\n"}, {"CRLF", "\r\n"}, {"None", ""},        {"Tab", "\t"}};

Result<std::string> cc_delimiter(std::string_view name, std::string_view op) {
  for (const auto& [n, d] : kCyberChefDelimiters)
    if (n == name) return std::string(d);
  return cc_unsupported(op, "delimiter '" + std::string(name) + "'");
}

std::string cc_delimiter_name(std::string_view chars) {
  for (const auto& [n, d] : kCyberChefDelimiters)
    if (d == chars) return std::string(n);
  return "";
}

// CyberChef's text encoding names ("UTF-16LE (1200)") -> ICU names we accept.
Result<std::string> cc_encoding(std::string_view name, std::string_view op) {
  std::string label(name);
  int codepage = -1;
  if (auto open = label.rfind(" ("); open != std::string::npos && label.back() == ')') {
    codepage = std::atoi(label.c_str() + open + 2);
    label.resize(open);
  }
  switch (codepage) {
    case 65001: return std::string("utf-8");
    case 1200: return std::string("utf-16le");
    case 1201: return std::string("utf-16be");
    case 12000: return std::string("utf-32le");
    case 12001: return std::string("utf-32be");
    case 20127: return std::string("us-ascii");
    default: break;
  }
  if (codepage >= 28591 && codepage <= 28605) return "iso-8859-" + std::to_string(codepage - 28590);
  if (codepage >= 1250 && codepage <= 1258) return "windows-" + std::to_string(codepage);
  if (codepage > 0) return "cp" + std::to_string(codepage);
  if (!label.empty()) return ascii_lower(label);
  return cc_unsupported(op, "encoding '" + std::string(name) + "'");
}

std::string cc_encoding_name(const std::string& ours) {
  if (ours == "utf-8" || ours == "utf8") return "UTF-8 (65001)";
  if (ours == "utf-16le") return "UTF-16LE (1200)";
  if (ours == "utf-16be") return "UTF-16BE (1201)";
  if (ours == "utf-32le") return "UTF-32LE (12000)";
  if (ours == "utf-32be") return "UTF-32BE (12001)";
  if (ours == "us-ascii" || ours == "ascii") return "US-ASCII (20127)";
  if (ours.rfind("windows-", 0) == 0)
    return "Windows-" + ours.substr(8) + " (" + ours.substr(8) + ")";
  return ours;
}

// ---- from_base64 ----------------------------------------------------------
constexpr ArgSpec kFromBase64Args[] = {
    {"alphabet", ArgType::kChoice, "auto", "auto (both + / and - _), standard (+ /) or url (- _)",
     kB64DecodeAlphabets},
    {"strict", ArgType::kBool, "false",
     "fail on characters outside the alphabet and on misplaced padding instead of skipping them"},
};

Result<std::string> run_from_base64(std::string_view in, const Args& a, OpContext& ctx) {
  std::size_t skipped = 0;
  auto r = codec::decode_base64(in, {.alphabet = alphabet_of(a.text(0)),
                                     .strict = a.boolean(1),
                                     .max_output = ctx.limits.max_output,
                                     .skipped = &skipped});
  if (r && skipped > 0)
    ctx.warnings.push_back("skipped " + std::to_string(skipped) + " non-base64 character" +
                           (skipped == 1 ? "" : "s"));
  return r;
}

Result<std::vector<std::string>> cc_from_base64(const json& a) {
  constexpr std::string_view op = "From Base64";
  IOC_ASSIGN_OR_RETURN(std::string alphabet, cc_string(a, 0, "A-Za-z0-9+/=", op));
  IOC_ASSIGN_OR_RETURN(bool remove_non_alphabet, cc_bool(a, 1, true, op));
  IOC_ASSIGN_OR_RETURN(bool strict, cc_bool(a, 2, false, op));
  std::string ours;
  if (alphabet == "A-Za-z0-9+/=" || alphabet == "A-Za-z0-9+/")
    ours = "standard";
  else if (alphabet == "A-Za-z0-9-_" || alphabet == "A-Za-z0-9-_=")
    ours = "url";
  else
    return cc_unsupported(op, "alphabet '" + alphabet + "'");
  return std::vector<std::string>{ours, (strict || !remove_non_alphabet) ? "true" : "false"};
}

Result<json> cc_to_from_base64(const Args& a) {
  const bool url = a.text(0) == "url";
  return json::array({url ? "A-Za-z0-9-_" : "A-Za-z0-9+/=", !a.boolean(1), a.boolean(1)});
}

// ---- to_base64 --------------------------------------------------------------
constexpr ArgSpec kToBase64Args[] = {
    {"alphabet", ArgType::kChoice, "standard", "standard (+ /) or url (- _)", kB64EncodeAlphabets},
    {"pad", ArgType::kBool, "true", "end with '=' padding"},
};

Result<std::string> run_to_base64(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 2, ctx, "to_base64"));
  return codec::encode_base64(in, alphabet_of(a.text(0)), a.boolean(1));
}

Result<std::vector<std::string>> cc_to_base64(const json& a) {
  constexpr std::string_view op = "To Base64";
  IOC_ASSIGN_OR_RETURN(std::string alphabet, cc_string(a, 0, "A-Za-z0-9+/=", op));
  if (alphabet == "A-Za-z0-9+/=") return std::vector<std::string>{"standard", "true"};
  if (alphabet == "A-Za-z0-9-_") return std::vector<std::string>{"url", "false"};
  if (alphabet == "A-Za-z0-9-_=") return std::vector<std::string>{"url", "true"};
  return cc_unsupported(op, "alphabet '" + alphabet + "'");
}

Result<json> cc_to_to_base64(const Args& a) {
  if (a.text(0) == "url") return json::array({a.boolean(1) ? "A-Za-z0-9-_=" : "A-Za-z0-9-_"});
  if (!a.boolean(1)) return cc_unsupported("To Base64", "standard alphabet without padding");
  return json::array({"A-Za-z0-9+/="});
}

// ---- from_hex / to_hex ------------------------------------------------------
constexpr ArgSpec kFromHexArgs[] = {
    {"strict", ArgType::kBool, "false",
     "fail on characters that are neither hex digits nor separators"},
};

Result<std::string> run_from_hex(std::string_view in, const Args& a, OpContext&) {
  return codec::decode_hex(in, {.strict = a.boolean(0)});
}

Result<std::vector<std::string>> cc_from_hex(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string delimiter, cc_string(a, 0, "Auto", "From Hex"));
  (void)delimiter;  // our decoder accepts every CyberChef delimiter at once
  return std::vector<std::string>{"false"};
}

Result<json> cc_to_from_hex(const Args& a) {
  if (a.boolean(0)) return cc_unsupported("From Hex", "strict mode");
  return json::array({"Auto"});
}

constexpr ArgSpec kToHexArgs[] = {
    {"separator", ArgType::kString, "", "text between bytes, e.g. ' ' or ':'"},
    {"upper", ArgType::kBool, "false", "upper-case digits"},
};

Result<std::string> run_to_hex(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 2 + a.text(0).size(), ctx, "to_hex"));
  return codec::encode_hex(in, a.text(0), a.boolean(1));
}

Result<std::vector<std::string>> cc_to_hex(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string name, cc_string(a, 0, "Space", "To Hex"));
  IOC_ASSIGN_OR_RETURN(std::string sep, cc_delimiter(name, "To Hex"));
  if (a.is_array() && a.size() > 1 && a[1].is_number() && a[1].get<int>() != 0)
    return cc_unsupported("To Hex", "bytes per line");
  return std::vector<std::string>{sep, "false"};
}

Result<json> cc_to_to_hex(const Args& a) {
  std::string name = cc_delimiter_name(a.text(0));
  if (name.empty() || a.boolean(1)) return cc_unsupported("To Hex", "this separator or upper case");
  return json::array({name, 0});
}

// ---- decode_text / encode_text -------------------------------------------
constexpr ArgSpec kDecodeTextArgs[] = {
    {"encoding", ArgType::kString, "utf-8",
     "utf-8, utf-16le, utf-16be, latin1, windows-1252, cp437 or any ICU charset name"},
    {"strict", ArgType::kBool, "false",
     "fail on a trailing odd byte of UTF-16 instead of dropping it"},
};

Result<std::string> run_decode_text(std::string_view in, const Args& a, OpContext& ctx) {
  const std::string enc = ascii_lower(a.text(0));
  if (enc == "utf-16le" || enc == "utf-16be" || enc == "utf16le" || enc == "utf16be") {
    const auto endian =
        enc.find("le") != std::string::npos ? codec::Endian::kLittle : codec::Endian::kBig;
    codec::Utf16Report report;
    auto r = codec::decode_utf16(in, endian, a.boolean(1), &report);
    if (r && report.odd_trailing_byte)
      ctx.warnings.push_back("dropped a trailing odd byte of UTF-16 input");
    if (r && report.replaced > 0)
      ctx.warnings.push_back("replaced " + std::to_string(report.replaced) + " lone surrogate" +
                             (report.replaced == 1 ? "" : "s") + " with U+FFFD");
    return r;
  }
  IOC_TRY(check_growth(in, 3, ctx, "decode_text"));
  return codec::decode_text(in, enc);
}

Result<std::vector<std::string>> cc_decode_text(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string name, cc_string(a, 0, "UTF-8 (65001)", "Decode text"));
  IOC_ASSIGN_OR_RETURN(std::string enc, cc_encoding(name, "Decode text"));
  return std::vector<std::string>{enc, "false"};
}

Result<json> cc_to_decode_text(const Args& a) {
  return json::array({cc_encoding_name(ascii_lower(a.text(0)))});
}

constexpr ArgSpec kEncodeTextArgs[] = {
    {"encoding", ArgType::kString, "utf-8", "utf-8, utf-16le, utf-16be, latin1, ... (ICU names)"},
};

Result<std::string> run_encode_text(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 4, ctx, "encode_text"));
  return codec::encode_text(in, ascii_lower(a.text(0)));
}

Result<std::vector<std::string>> cc_encode_text(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string name, cc_string(a, 0, "UTF-8 (65001)", "Encode text"));
  IOC_ASSIGN_OR_RETURN(std::string enc, cc_encoding(name, "Encode text"));
  return std::vector<std::string>{enc};
}

Result<json> cc_to_encode_text(const Args& a) {
  return json::array({cc_encoding_name(ascii_lower(a.text(0)))});
}

// ---- url_decode / url_encode -----------------------------------------------
constexpr ArgSpec kUrlDecodeArgs[] = {
    {"plus_as_space", ArgType::kBool, "false", "decode '+' as a space (form encoding)"},
    {"strict", ArgType::kBool, "false", "fail on an invalid %-escape instead of keeping it"},
};

Result<std::string> run_url_decode(std::string_view in, const Args& a, OpContext&) {
  return codec::decode_percent(in, {.plus_as_space = a.boolean(0), .strict = a.boolean(1)});
}

Result<std::vector<std::string>> cc_url_decode(const json& a) {
  IOC_ASSIGN_OR_RETURN(bool plus, cc_bool(a, 0, false, "URL Decode"));
  return std::vector<std::string>{plus ? "true" : "false", "false"};
}

Result<json> cc_to_url_decode(const Args& a) {
  if (a.boolean(1)) return cc_unsupported("URL Decode", "strict mode");
  return json::array({a.boolean(0)});
}

constexpr ArgSpec kUrlEncodeArgs[] = {
    {"all", ArgType::kBool, "false",
     "also encode reserved characters (:/?#[]@!$&'()*+,;=), like encodeURIComponent"},
};

Result<std::string> run_url_encode(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 3, ctx, "url_encode"));
  return codec::encode_percent(in, !a.boolean(0));
}

Result<std::vector<std::string>> cc_url_encode(const json& a) {
  IOC_ASSIGN_OR_RETURN(bool all, cc_bool(a, 0, false, "URL Encode"));
  return std::vector<std::string>{all ? "true" : "false"};
}

Result<json> cc_to_url_encode(const Args& a) {
  return json::array({a.boolean(0)});
}

// ---- from_charcode / to_charcode -------------------------------------------
constexpr ArgSpec kFromCharcodeArgs[] = {
    {"base", ArgType::kInt, "0", "0 (auto: 0x... hexadecimal, else decimal), 8, 10 or 16"},
};

Result<std::string> run_from_charcode(std::string_view in, const Args& a, OpContext&) {
  return codec::decode_charcodes(in, {.base = static_cast<int>(a.integer(0))});
}

Result<std::vector<std::string>> cc_from_charcode(const json& a) {
  // Argument 1 is the delimiter: ours accepts any separator.
  int base = 16;
  if (a.is_array() && a.size() > 1) {
    if (!a[1].is_number_integer()) return cc_unsupported("From Charcode", "a non-integer base");
    base = a[1].get<int>();
  }
  if (base != 8 && base != 10 && base != 16)
    return cc_unsupported("From Charcode", "base " + std::to_string(base));
  return std::vector<std::string>{std::to_string(base)};
}

Result<json> cc_to_from_charcode(const Args& a) {
  const auto base = a.integer(0);
  if (base == 0) return cc_unsupported("From Charcode", "automatic base");
  return json::array({"Space", base});
}

constexpr ArgSpec kToCharcodeArgs[] = {
    {"base", ArgType::kInt, "10", "8, 10 or 16"},
    {"separator", ArgType::kString, ",", "text between codes"},
};

Result<std::string> run_to_charcode(std::string_view in, const Args& a, OpContext& ctx) {
  const auto base = a.integer(0);
  if (base != 8 && base != 10 && base != 16)
    return make_error(ErrorCode::kUsage, "to_charcode: base must be 8, 10 or 16");
  IOC_TRY(check_growth(in, 8 + a.text(1).size(), ctx, "to_charcode"));
  return codec::encode_charcodes(in, static_cast<int>(base), a.text(1));
}

Result<std::vector<std::string>> cc_to_charcode(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string name, cc_string(a, 0, "Space", "To Charcode"));
  IOC_ASSIGN_OR_RETURN(std::string sep, cc_delimiter(name, "To Charcode"));
  int base = 16;
  if (a.is_array() && a.size() > 1 && a[1].is_number_integer()) base = a[1].get<int>();
  return std::vector<std::string>{std::to_string(base), sep};
}

Result<json> cc_to_to_charcode(const Args& a) {
  std::string name = cc_delimiter_name(a.text(1));
  if (name.empty()) return cc_unsupported("To Charcode", "separator '" + a.text(1) + "'");
  return json::array({name, a.integer(0)});
}

// ---- inflate family --------------------------------------------------------
constexpr ArgSpec kInflateArgs[] = {
    {"allow_truncated", ArgType::kBool, "false",
     "return what inflates from a stream that ends early instead of failing"},
};

Result<std::string> inflate_with(std::string_view in, const Args& a, OpContext& ctx,
                                 codec::Container container) {
  codec::InflateReport report;
  auto r =
      codec::inflate(in, container,
                     {.max_output = std::min(ctx.limits.max_inflate_total, ctx.limits.max_output),
                      .max_ratio = ctx.limits.max_inflate_ratio,
                      .allow_truncated = a.boolean(0),
                      .report = &report});
  if (r && report.truncated)
    ctx.warnings.push_back("compressed stream is truncated; partial output");
  if (r && report.trailing_bytes > 0)
    ctx.warnings.push_back("ignored " + std::to_string(report.trailing_bytes) +
                           " bytes after the end of the compressed stream");
  return r;
}

Result<std::string> run_raw_inflate(std::string_view in, const Args& a, OpContext& ctx) {
  return inflate_with(in, a, ctx, codec::Container::kRaw);
}
Result<std::string> run_zlib_inflate(std::string_view in, const Args& a, OpContext& ctx) {
  return inflate_with(in, a, ctx, codec::Container::kZlib);
}
Result<std::string> run_gunzip(std::string_view in, const Args& a, OpContext& ctx) {
  return inflate_with(in, a, ctx, codec::Container::kGzip);
}
Result<std::string> run_inflate(std::string_view in, const Args& a, OpContext& ctx) {
  return inflate_with(in, a, ctx, codec::Container::kAuto);
}

// CyberChef's inflate options (start index, buffer sizes, verify) do not change
// the output of a well-formed stream; a non-zero start index would.
Result<std::vector<std::string>> cc_inflate(const json& a) {
  if (a.is_array() && !a.empty() && a[0].is_number() && a[0].get<double>() != 0)
    return cc_unsupported("Inflate", "a start index other than 0");
  return std::vector<std::string>{"false"};
}

Result<json> cc_to_raw_inflate(const Args& a) {
  if (a.boolean(0)) return cc_unsupported("Raw Inflate", "allow_truncated");
  return json::array({0, 0, "Adaptive", false, false});
}
Result<json> cc_to_zlib_inflate(const Args& a) {
  return cc_to_raw_inflate(a);
}
Result<json> cc_to_gunzip(const Args& a) {
  if (a.boolean(0)) return cc_unsupported("Gunzip", "allow_truncated");
  return json::array();
}

constexpr ArgSpec kDeflateArgs[] = {
    {"level", ArgType::kInt, "6", "compression level 0 (none) to 9 (best)"},
};

Result<std::string> deflate_with(std::string_view in, const Args& a, OpContext& ctx,
                                 codec::Container container) {
  const auto level = a.integer(0);
  if (level < 0 || level > 9) return make_error(ErrorCode::kUsage, "level must be 0 to 9");
  IOC_TRY(check_growth(in, 2, ctx, "deflate"));
  return codec::deflate(in, container, static_cast<int>(level));
}
Result<std::string> run_raw_deflate(std::string_view in, const Args& a, OpContext& ctx) {
  return deflate_with(in, a, ctx, codec::Container::kRaw);
}
Result<std::string> run_zlib_deflate(std::string_view in, const Args& a, OpContext& ctx) {
  return deflate_with(in, a, ctx, codec::Container::kZlib);
}
Result<std::string> run_gzip(std::string_view in, const Args& a, OpContext& ctx) {
  return deflate_with(in, a, ctx, codec::Container::kGzip);
}

Result<std::vector<std::string>> cc_deflate(const json&) {
  return std::vector<std::string>{"6"};
}
Result<json> cc_to_raw_deflate(const Args&) {
  return json::array({"Dynamic Huffman Coding"});
}
Result<json> cc_to_gzip(const Args&) {
  return json::array({"Dynamic Huffman Coding", "", "", false});
}

// ---- xor / rc4 ---------------------------------------------------------------
constexpr ArgSpec kKeyArgs[] = {
    {"key", ArgType::kString, "", "the key"},
    {"key_format", ArgType::kChoice, "utf8", "how the key is written: utf8, hex, base64 or latin1",
     kKeyFormats},
};

Result<std::string> run_xor(std::string_view in, const Args& a, OpContext&) {
  IOC_ASSIGN_OR_RETURN(std::string key, key_bytes(a.text(0), a.text(1)));
  return codec::xor_bytes(in, key);
}

Result<std::vector<std::string>> cc_xor(const json& a) {
  IOC_ASSIGN_OR_RETURN(auto key, cc_key(a, "XOR"));
  IOC_ASSIGN_OR_RETURN(std::string scheme, cc_string(a, 1, "Standard", "XOR"));
  IOC_ASSIGN_OR_RETURN(bool null_preserving, cc_bool(a, 2, false, "XOR"));
  if (scheme != "Standard") return cc_unsupported("XOR", "scheme '" + scheme + "'");
  if (null_preserving) return cc_unsupported("XOR", "null preserving");
  return key;
}

Result<json> cc_to_xor(const Args& a) {
  return json::array({cc_key_json(a), "Standard", false});
}

Result<std::string> run_rc4(std::string_view in, const Args& a, OpContext&) {
  IOC_ASSIGN_OR_RETURN(std::string key, key_bytes(a.text(0), a.text(1)));
  return codec::rc4(key, in);
}

Result<std::vector<std::string>> cc_rc4(const json& a) {
  IOC_ASSIGN_OR_RETURN(auto key, cc_key(a, "RC4"));
  IOC_ASSIGN_OR_RETURN(std::string in_format, cc_string(a, 1, "Latin1", "RC4"));
  IOC_ASSIGN_OR_RETURN(std::string out_format, cc_string(a, 2, "Latin1", "RC4"));
  if (in_format != "Latin1" || out_format != "Latin1")
    return cc_unsupported("RC4",
                          "input/output formats other than Latin1 (use from_hex / to_hex steps)");
  return key;
}

Result<json> cc_to_rc4(const Args& a) {
  return json::array({cc_key_json(a), "Latin1", "Latin1"});
}

// ---- the table ---------------------------------------------------------------
constexpr OperationInfo kCodecOperations[] = {
    {"from_base64",
     "Decode base64 (standard or URL-safe; lenient about padding, whitespace and junk)",
     "From Base64", kFromBase64Args, run_from_base64, cc_from_base64, cc_to_from_base64},
    {"to_base64", "Encode bytes as base64", "To Base64", kToBase64Args, run_to_base64, cc_to_base64,
     cc_to_to_base64},
    {"from_hex", "Decode hexadecimal, with or without separators, 0x and \\x prefixes", "From Hex",
     kFromHexArgs, run_from_hex, cc_from_hex, cc_to_from_hex},
    {"to_hex", "Encode bytes as hexadecimal", "To Hex", kToHexArgs, run_to_hex, cc_to_hex,
     cc_to_to_hex},
    {"decode_text", "Decode bytes in a character set (UTF-16LE for PowerShell -enc) to UTF-8",
     "Decode text", kDecodeTextArgs, run_decode_text, cc_decode_text, cc_to_decode_text},
    {"encode_text", "Encode UTF-8 text in another character set", "Encode text", kEncodeTextArgs,
     run_encode_text, cc_encode_text, cc_to_encode_text},
    {"url_decode", "Decode %XX and %uXXXX escapes", "URL Decode", kUrlDecodeArgs, run_url_decode,
     cc_url_decode, cc_to_url_decode},
    {"url_encode", "Percent-encode bytes", "URL Encode", kUrlEncodeArgs, run_url_encode,
     cc_url_encode, cc_to_url_encode},
    {"from_charcode", "Decode a list of character codes (83,121,115 or 0x53 0x79)", "From Charcode",
     kFromCharcodeArgs, run_from_charcode, cc_from_charcode, cc_to_from_charcode},
    {"to_charcode", "Write each character as its code", "To Charcode", kToCharcodeArgs,
     run_to_charcode, cc_to_charcode, cc_to_to_charcode},
    {"raw_inflate", "Decompress raw deflate data (RFC 1951)", "Raw Inflate", kInflateArgs,
     run_raw_inflate, cc_inflate, cc_to_raw_inflate},
    {"zlib_inflate", "Decompress zlib data (RFC 1950)", "Zlib Inflate", kInflateArgs,
     run_zlib_inflate, cc_inflate, cc_to_zlib_inflate},
    {"gunzip", "Decompress gzip data (RFC 1952), all members", "Gunzip", kInflateArgs, run_gunzip,
     cc_inflate, cc_to_gunzip},
    {"inflate", "Decompress gzip, zlib or raw deflate, whichever the data is", "", kInflateArgs,
     run_inflate, nullptr, nullptr},
    {"raw_deflate", "Compress as raw deflate", "Raw Deflate", kDeflateArgs, run_raw_deflate,
     cc_deflate, cc_to_raw_deflate},
    {"zlib_deflate", "Compress as zlib", "Zlib Deflate", kDeflateArgs, run_zlib_deflate, cc_deflate,
     cc_to_raw_deflate},
    {"gzip", "Compress as gzip", "Gzip", kDeflateArgs, run_gzip, cc_deflate, cc_to_gzip},
    {"xor", "XOR with a repeating key", "XOR", kKeyArgs, run_xor, cc_xor, cc_to_xor},
    {"rc4", "Encrypt or decrypt with RC4", "RC4", kKeyArgs, run_rc4, cc_rc4, cc_to_rc4},
};

}  // namespace

std::span<const OperationInfo> codec_operations() {
  return kCodecOperations;
}

}  // namespace ioc::recipe::detail
