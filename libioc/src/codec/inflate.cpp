#include "ioc/codec/inflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <new>
#include <string>

namespace ioc::codec {
namespace {

constexpr std::size_t kOutChunk = 64 * kKiB;  // output produced per inflate() call
constexpr std::size_t kInChunk = kGiB;        // avail_in is a 32-bit uInt
constexpr std::size_t kRatioFloor = kMiB;     // smaller outputs are never bombs

int window_bits(Container container) {
  switch (container) {
    case Container::kRaw: return -MAX_WBITS;
    case Container::kGzip: return 16 + MAX_WBITS;
    case Container::kZlib:
    case Container::kAuto: break;
  }
  return MAX_WBITS;
}

const char* container_name(Container container) {
  switch (container) {
    case Container::kRaw: return "deflate";
    case Container::kGzip: return "gzip";
    case Container::kZlib: return "zlib";
    case Container::kAuto: break;
  }
  return "deflate";
}

struct InflateGuard {
  z_stream* s;
  ~InflateGuard() { inflateEnd(s); }
};

struct DeflateGuard {
  z_stream* s;
  ~DeflateGuard() { deflateEnd(s); }
};

bool all_zero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\0'; });
}

}  // namespace

Container detect_container(std::string_view bytes) noexcept {
  if (bytes.size() < 2) return Container::kRaw;
  const auto b0 = static_cast<unsigned char>(bytes[0]);
  const auto b1 = static_cast<unsigned char>(bytes[1]);
  if (b0 == 0x1F && b1 == 0x8B) return Container::kGzip;
  // CMF: method 8 (deflate), window size 2^(8+CINFO) with CINFO <= 7;
  // FLG makes CMF*256+FLG a multiple of 31.
  if ((b0 & 0x0F) == 8 && (b0 >> 4) <= 7 && (b0 * 256u + b1) % 31 == 0) return Container::kZlib;
  return Container::kRaw;
}

Result<std::string> inflate(std::string_view bytes, Container container,
                            const InflateOptions& options) {
  if (container == Container::kAuto) container = detect_container(bytes);
  const char* name = container_name(container);

  z_stream s{};
  if (inflateInit2(&s, window_bits(container)) != Z_OK) throw std::bad_alloc();
  InflateGuard guard{&s};

  // Output larger than this (once past kRatioFloor) breaks the ratio cap.
  const std::size_t ratio_limit =
      options.max_ratio != 0 && bytes.size() > SIZE_MAX / options.max_ratio
          ? SIZE_MAX
          : bytes.size() * options.max_ratio;
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  std::unique_ptr<unsigned char[]> chunk(new unsigned char[kOutChunk]);
  std::string out;
  std::size_t pos = 0;  // input consumed

  auto finish_truncated = [&]() -> Result<std::string> {
    if (options.allow_truncated) {
      if (options.report) {
        options.report->trailing_bytes = 0;
        options.report->truncated = true;
      }
      return std::move(out);
    }
    return make_error(ErrorCode::kTruncated,
                      std::string(name) + " stream ends before its last block", size);
  };

  for (;;) {
    const std::size_t in_avail = std::min(size - pos, kInChunk);
    // zlib never reads next_in when avail_in is 0, but keep the pointer valid.
    s.next_in = const_cast<unsigned char*>(size == 0 ? chunk.get() : in + pos);
    s.avail_in = static_cast<uInt>(in_avail);
    s.next_out = chunk.get();
    s.avail_out = static_cast<uInt>(kOutChunk);
    const int rc = ::inflate(&s, Z_NO_FLUSH);
    pos += in_avail - s.avail_in;
    const std::size_t produced = kOutChunk - s.avail_out;

    if (produced != 0) {
      const std::size_t new_size = out.size() + produced;
      if (new_size > options.max_output)
        return make_error(
            ErrorCode::kLimitExceeded,
            "decompressed size exceeds " + format_size(options.max_output) + " (limit)");
      if (new_size > kRatioFloor && new_size > ratio_limit)
        return make_error(ErrorCode::kLimitExceeded, "decompression ratio exceeds " +
                                                         std::to_string(options.max_ratio) +
                                                         ":1 (possible decompression bomb)");
      if (new_size > out.capacity()) {
        // Grow geometrically, but never reserve past the cap.
        std::size_t want = std::max(new_size, out.capacity() * 2);
        out.reserve(std::min(want, options.max_output));
      }
      out.append(reinterpret_cast<const char*>(chunk.get()), produced);
    }

    switch (rc) {
      case Z_OK: break;
      case Z_STREAM_END: {
        const std::string_view rest = bytes.substr(pos);
        if (container == Container::kGzip && rest.size() >= 2 &&
            static_cast<unsigned char>(rest[0]) == 0x1F &&
            static_cast<unsigned char>(rest[1]) == 0x8B) {
          inflateReset(&s);  // next gzip member
          continue;
        }
        if (options.report) {
          options.report->truncated = false;
          options.report->trailing_bytes =
              container == Container::kGzip && all_zero(rest) ? 0 : rest.size();
        }
        return out;
      }
      case Z_NEED_DICT:
        return make_error(ErrorCode::kUnsupported,
                          "zlib stream needs a preset dictionary (not supported)", pos);
      case Z_DATA_ERROR:
        return make_error(
            ErrorCode::kInvalidInput,
            "invalid " + std::string(name) + " data: " + (s.msg ? s.msg : "corrupt stream"), pos);
      case Z_BUF_ERROR:
        // No progress possible although there was room for output: the input ran out.
        return finish_truncated();
      case Z_MEM_ERROR: throw std::bad_alloc();
      default:
        return make_error(
            ErrorCode::kInvalidInput,
            "invalid " + std::string(name) + " data: zlib error " + std::to_string(rc), pos);
    }
    // Z_OK with output space left and no input left: the stream is incomplete.
    if (pos == size && s.avail_out != 0) return finish_truncated();
  }
}

Result<std::string> deflate(std::string_view bytes, Container container, int level) {
  if (container == Container::kAuto)
    return make_error(ErrorCode::kUsage, "compression needs a container: raw, zlib or gzip");
  if (level < 0 || level > 9)
    return make_error(ErrorCode::kUsage,
                      "compression level must be 0 to 9, not " + std::to_string(level));
  z_stream s{};
  if (deflateInit2(&s, level, Z_DEFLATED, window_bits(container), 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::bad_alloc();
  DeflateGuard guard{&s};

  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  std::string out(static_cast<std::size_t>(deflateBound(&s, static_cast<uLong>(size))), '\0');
  std::size_t pos = 0;
  std::size_t written = 0;
  unsigned char empty = 0;
  for (;;) {
    const std::size_t in_avail = std::min(size - pos, kInChunk);
    if (written == out.size()) out.resize(out.size() * 2 + 64);
    const std::size_t out_avail = std::min(out.size() - written, kInChunk);
    s.next_in = const_cast<unsigned char*>(size == 0 ? &empty : in + pos);
    s.avail_in = static_cast<uInt>(in_avail);
    s.next_out = reinterpret_cast<unsigned char*>(out.data() + written);
    s.avail_out = static_cast<uInt>(out_avail);
    const int flush = pos + in_avail == size ? Z_FINISH : Z_NO_FLUSH;
    const int rc = ::deflate(&s, flush);
    pos += in_avail - s.avail_in;
    written += out_avail - s.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      return make_error(ErrorCode::kInvalidInput,
                        "compression failed: zlib error " + std::to_string(rc));
  }
  out.resize(written);
  return out;
}

}  // namespace ioc::codec
