// The .evtx fast path: see binxml.hpp.
//
// Format facts (libyal's "Windows XML Event Log (EVTX) format", MS-EVEN6): a
// chunk is 64 KiB with a 512-byte header ("ElfChnk\0", the free-space offset
// at 48); a record is "\x2a\x2a\0\0", its size (4), its identifier (8), a
// FILETIME (8), binary XML, and its size again (4). A record's binary XML is
// a fragment header (0x0f 1 1 0) and a template instance (0x0c, 1 byte, the
// template identifier (4), the offset of the template definition in the chunk
// (4)); the definition (next offset 4, GUID 16, data size 4, binary XML)
// follows inline when that offset is the instance's end. Then the
// substitution array: a count (4), count descriptors (size 2, type 1, 0), and
// the values back to back. In a template, an element is 0x01 (0x41 with
// attributes), a dependency identifier (2), a data size (4) and the offset of
// its name (next offset 4, hash 2, length 2, UTF-16, NUL), the name inline
// when that offset is where the token ends; attributes (0x06, 0x46) hold a
// name offset and value tokens; 0x02 closes a start tag, 0x03 an empty
// element, 0x04 ends an element; 0x05/0x45 is text (type 0x01, length 2,
// UTF-16), 0x0d/0x0e a substitution (index 2, type 1).
#include "binxml.hpp"

#include "ioc/core/civil.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

namespace ioc::events::binxml {
namespace {

constexpr int kMaxDepth = 64;            // element nesting in a template
constexpr int kMaxNest = 8;              // binary XML in binary XML
constexpr std::size_t kMaxFrames = 256;  // open elements, nesting included
constexpr std::size_t kRecordMin = 28;   // header (24) + the size copy (4)
constexpr std::string_view kChunkSignature{"ElfChnk\0", 8};
constexpr std::string_view kRecordSignature{"\x2a\x2a\0\0", 4};

std::uint16_t u16(std::string_view s, std::size_t at) noexcept {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    static_cast<unsigned char>(s[at + 1]) << 8);
}
std::uint32_t u32(std::string_view s, std::size_t at) noexcept {
  return static_cast<std::uint32_t>(u16(s, at)) | static_cast<std::uint32_t>(u16(s, at + 2)) << 16;
}
std::uint64_t u64(std::string_view s, std::size_t at) noexcept {
  return static_cast<std::uint64_t>(u32(s, at)) | static_cast<std::uint64_t>(u32(s, at + 4)) << 32;
}

char* put_utf8(std::uint32_t cp, char* w) {
  if (cp < 0x80) {
    *w++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *w++ = static_cast<char>(0xc0 | (cp >> 6));
    *w++ = static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    *w++ = static_cast<char>(0xe0 | (cp >> 12));
    *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    *w++ = static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    *w++ = static_cast<char>(0xf0 | (cp >> 18));
    *w++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    *w++ = static_cast<char>(0x80 | (cp & 0x3f));
  }
  return w;
}

/// UTF-16LE text (`bytes`, an even count) as UTF-8, appended to *out (when
/// not null). Trailing NULs are dropped. False for what is left to libevtx: a
/// NUL before other text, an unpaired surrogate, U+FFFE or U+FFFF, and, when
/// `strict` (text that reaches a ParseResult), a control character or any
/// surrogate.
bool utf16(std::string_view s, std::size_t at, std::size_t bytes, std::string* out, bool strict) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  std::size_t units = bytes / 2;
  while (units > 0 && p[2 * units - 2] == 0 && p[2 * units - 1] == 0) --units;
  const std::uint32_t low = strict ? 0x20 : 0x01;  // the least code unit taken as is
  const std::size_t old = out != nullptr ? out->size() : 0;
  char* w = nullptr;
  if (out != nullptr) {
    out->resize(old + 3 * units);  // a unit is at most 3 bytes (a pair 4 for 2)
    w = out->data() + old;
  }
  for (std::size_t i = 0; i < units; ++i) {
    std::uint32_t cp =
        static_cast<std::uint32_t>(p[2 * i]) | static_cast<std::uint32_t>(p[2 * i + 1]) << 8;
    if (cp < 0x80 && cp >= low) {
      if (w != nullptr) *w++ = static_cast<char>(cp);
      continue;
    }
    if (cp < low || cp == 0xfffe || cp == 0xffff || (cp >= 0xdc00 && cp <= 0xdfff)) return false;
    // libevtx 20181227 (libuna) decodes a surrogate pair to another code
    // point than UTF-16 means: text that reaches a result is left to it.
    if (cp >= 0xd800 && cp <= 0xdbff && strict) return false;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      if (i + 1 >= units) return false;
      const std::uint32_t lo =
          static_cast<std::uint32_t>(p[2 * i + 2]) | static_cast<std::uint32_t>(p[2 * i + 3]) << 8;
      if (lo < 0xdc00 || lo > 0xdfff) return false;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      ++i;
    }
    if (w != nullptr) w = put_utf8(cp, w);
  }
  if (out != nullptr) out->resize(static_cast<std::size_t>(w - out->data()));
  return true;
}

// ---------------------------------------------------------------------------
// Plans.
//
// A template's plan is its document in order, reduced to what EventReader's
// parse_xml looks at: element starts (by name) and ends, the first Name and
// SystemTime attribute of each element, and the pieces of element content
// (literal text or a substitution). Which element is "the first System" is
// decided per record (ChunkDecoder::Impl::run), because a substitution of
// binary XML can put elements anywhere.

enum class Src : std::uint8_t {
  kAbsent,   ///< no value: ""
  kLiteral,  ///< text in the template
  kSubst,    ///< a substitution value
  kBad,      ///< anything else (entity or character reference, CDATA...)
};

struct Source {
  Src kind = Src::kAbsent;
  bool optional = false;  ///< an optional substitution (0x0e)
  std::uint16_t index = 0;
  std::string literal;
};

/// A substitution in an attribute that is not one of those read.
struct AttributeRef {
  std::uint16_t index;
  bool optional;
};

enum class Tag : std::uint8_t {
  kEvent,
  kSystem,
  kEventData,
  kProvider,
  kEventId,
  kChannel,
  kComputer,
  kTimeCreated,
  kData,
  kOther,
};

enum class Op : std::uint8_t {
  kOpen,   ///< an element starts (`tag`)
  kName,   ///< its first Name attribute (`src`)
  kTime,   ///< its first SystemTime attribute (`src`)
  kPiece,  ///< content (`src`)
  kClose,  ///< the element ends
};

struct Item {
  Op op;
  Tag tag = Tag::kOther;
  Source src;
};

struct Plan {
  bool ok = false;
  std::vector<Item> items;
  /// Substitutions in attributes: never binary XML, null only when optional.
  std::vector<AttributeRef> attribute_refs;
  std::uint16_t max_ref = 0;  ///< the highest substitution index used, + 1
};

Tag tag_of(std::string_view n) {
  const std::size_t colon = n.rfind(':');
  if (colon != std::string_view::npos) n.remove_prefix(colon + 1);  // as parse_xml's name_is
  if (n == "Event") return Tag::kEvent;
  if (n == "System") return Tag::kSystem;
  if (n == "EventData") return Tag::kEventData;
  if (n == "Provider") return Tag::kProvider;
  if (n == "EventID") return Tag::kEventId;
  if (n == "Channel") return Tag::kChannel;
  if (n == "Computer") return Tag::kComputer;
  if (n == "TimeCreated") return Tag::kTimeCreated;
  if (n == "Data") return Tag::kData;
  return Tag::kOther;
}

bool is_piece(unsigned char t) noexcept {
  switch (t) {
    case 0x05:
    case 0x45:
    case 0x0d:
    case 0x0e:
    case 0x08:
    case 0x48:
    case 0x09:
    case 0x49:
    case 0x07:
    case 0x47: return true;
    default: return false;
  }
}

/// A template's binary XML (a fragment header, one element, the end) to a
/// Plan; false for a token or layout the fast path does not read.
class PlanBuilder {
 public:
  PlanBuilder(std::string_view chunk, Plan& plan) : c_(chunk), plan_(plan) {}

  bool build(std::size_t begin, std::size_t end) {
    pos_ = begin;
    end_ = end;
    if (!need(5) || static_cast<unsigned char>(c_[pos_]) != 0x0f) return false;
    pos_ += 4;
    const auto t = static_cast<unsigned char>(c_[pos_]);
    if (t != 0x01 && t != 0x41) return false;
    if (!element(0)) return false;
    return pos_ + 1 == end_ && c_[pos_] == 0;  // one root element, then the end
  }

 private:
  std::string_view c_;
  Plan& plan_;
  std::size_t pos_ = 0, end_ = 0;

  bool need(std::size_t n) const noexcept { return pos_ <= end_ && end_ - pos_ >= n; }

  void ref(std::uint16_t i) {
    if (i + 1 > plan_.max_ref) plan_.max_ref = static_cast<std::uint16_t>(i + 1);
  }

  /// The name whose structure is at chunk offset `off`; when it is inline
  /// (at the current position) it is stepped over.
  bool name(std::uint32_t off, std::string& out) {
    if (off > c_.size() || c_.size() - off < 8) return false;
    const std::size_t len = u16(c_, off + 6);
    if ((c_.size() - off - 8) / 2 < len + 1) return false;
    out.clear();
    if (!utf16(c_, off + 8, 2 * len, &out, true)) return false;
    if (off == pos_) {
      if (!need(8 + 2 * len + 2)) return false;
      pos_ += 8 + 2 * len + 2;
    }
    return true;
  }

  bool piece(Source& out) {
    const auto t = static_cast<unsigned char>(c_[pos_]);
    switch (t) {
      case 0x05:
      case 0x45: {
        if (!need(4) || c_[pos_ + 1] != 0x01) return false;
        const std::size_t len = u16(c_, pos_ + 2);
        if (!need(4 + 2 * len)) return false;
        out.kind = Src::kLiteral;
        out.literal.clear();
        if (!utf16(c_, pos_ + 4, 2 * len, &out.literal, true)) out.kind = Src::kBad;
        pos_ += 4 + 2 * len;
        return true;
      }
      case 0x0d:
      case 0x0e:
        if (!need(4)) return false;
        out.kind = Src::kSubst;
        out.optional = t == 0x0e;
        out.index = u16(c_, pos_ + 1);
        ref(out.index);
        pos_ += 4;
        return true;
      case 0x08:
      case 0x48:
        if (!need(3)) return false;
        out.kind = Src::kBad;
        pos_ += 3;
        return true;
      case 0x09:
      case 0x49: {
        if (!need(5)) return false;
        const std::uint32_t off = u32(c_, pos_ + 1);
        pos_ += 5;
        std::string ignored;
        out.kind = Src::kBad;
        return name(off, ignored);
      }
      case 0x07:
      case 0x47: {
        if (!need(3)) return false;
        const std::size_t len = u16(c_, pos_ + 1);
        if (!need(3 + 2 * len)) return false;
        out.kind = Src::kBad;
        pos_ += 3 + 2 * len;
        return true;
      }
      default: return false;
    }
  }

  bool element(int depth) {
    if (depth > kMaxDepth || !need(11)) return false;
    const auto token = static_cast<unsigned char>(c_[pos_]);
    // The element's size: from after this field to its end (libevtx checks it).
    const std::size_t size_end = pos_ + 7 + u32(c_, pos_ + 3);
    const std::uint32_t name_off = u32(c_, pos_ + 7);
    pos_ += 11;
    std::string n;
    if (!name(name_off, n)) return false;
    plan_.items.push_back(Item{Op::kOpen, tag_of(n), {}});
    if ((token & 0x40) != 0) {
      if (!need(4)) return false;
      const std::size_t size = u32(c_, pos_);
      pos_ += 4;
      if (!need(size)) return false;
      const std::size_t attr_end = pos_ + size;
      bool have_name = false, have_time = false;  // pugixml's attribute(): the first
      std::string an;
      while (pos_ < attr_end) {
        const auto t = static_cast<unsigned char>(c_[pos_]);
        if ((t != 0x06 && t != 0x46) || !need(5)) return false;
        const std::uint32_t off = u32(c_, pos_ + 1);
        pos_ += 5;
        if (!name(off, an)) return false;
        Source v;
        int pieces = 0;
        while (pos_ < attr_end && is_piece(static_cast<unsigned char>(c_[pos_]))) {
          Source p;
          if (!piece(p)) return false;
          if (p.kind == Src::kSubst) plan_.attribute_refs.push_back({p.index, p.optional});
          if (++pieces == 1)
            v = std::move(p);
          else
            v.kind = Src::kBad;
        }
        if (an == "Name" && !have_name) {
          have_name = true;
          plan_.items.push_back(Item{Op::kName, Tag::kOther, std::move(v)});
        } else if (an == "SystemTime" && !have_time) {
          have_time = true;
          plan_.items.push_back(Item{Op::kTime, Tag::kOther, std::move(v)});
        }
      }
      if (pos_ != attr_end) return false;
    }
    if (!need(1)) return false;
    const auto close = static_cast<unsigned char>(c_[pos_++]);
    if (close == 0x02) {
      for (;;) {
        if (!need(1)) return false;
        const auto t = static_cast<unsigned char>(c_[pos_]);
        if (t == 0x04) {
          ++pos_;
          break;
        }
        if (t == 0x01 || t == 0x41) {
          if (!element(depth + 1)) return false;
          continue;
        }
        if (!is_piece(t)) return false;
        Source p;
        if (!piece(p)) return false;
        plan_.items.push_back(Item{Op::kPiece, Tag::kOther, std::move(p)});
      }
    } else if (close != 0x03) {
      return false;
    }
    plan_.items.push_back(Item{Op::kClose, Tag::kOther, {}});
    return pos_ == size_end;
  }
};

// ---------------------------------------------------------------------------
// Values, written as libevtx renders them.

struct Value {
  std::size_t at;
  std::size_t size;
  unsigned char type;
  bool used = false;  ///< binary XML: read (each must be)
};

bool sid_ok(std::string_view s, const Value& v) {
  if (v.size < 8) return false;
  const auto count = static_cast<unsigned char>(s[v.at + 1]);
  return s[v.at] == 1 && count <= 15 && v.size == 8 + 4 * std::size_t{count};
}

/// Whether a value is one libevtx reads without trouble (every value of a
/// record is checked, used or not).
bool value_ok(std::string_view s, const Value& v) {
  switch (v.type) {
    case 0x00: return v.size == 0;
    case 0x01: return v.size % 2 == 0 && utf16(s, v.at, v.size, nullptr, false);
    case 0x02: {
      std::size_t n = v.size;
      while (n > 0 && s[v.at + n - 1] == '\0') --n;
      return std::memchr(s.data() + v.at, 0, n) == nullptr;
    }
    case 0x03:
    case 0x04: return v.size == 1;
    case 0x05:
    case 0x06: return v.size == 2;
    case 0x07:
    case 0x08:
    case 0x0b:
    case 0x0d:
    case 0x14: return v.size == 4;
    case 0x09:
    case 0x0a:
    case 0x0c:
    case 0x11:
    case 0x15: return v.size == 8;
    case 0x0e: return true;
    case 0x0f:
    case 0x12: return v.size == 16;
    case 0x10: return v.size == 4 || v.size == 8;
    case 0x13: return sid_ok(s, v);
    case 0x21: return true;  // read where the template uses it
    default: return false;   // arrays, unknown types
  }
}

template <typename T>
void put_number(T v, std::string& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put_hex(std::uint64_t v, int digits, bool upper, std::string& out) {
  const char* d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out += d[(v >> (4 * i)) & 0xf];
}

/// FILETIME as libevtx writes SystemTime: "2020-03-21T21:45:04.908857700Z".
bool put_filetime(std::uint64_t ticks, std::string& out) {
  if (ticks == 0) return false;
  constexpr std::int64_t kDays1601To1970 = 134774;
  const std::uint64_t secs = ticks / 10000000u;
  const auto frac = static_cast<unsigned>(ticks % 10000000u);
  const auto days = static_cast<std::int64_t>(secs / 86400u);
  const auto rem = static_cast<unsigned>(secs % 86400u);
  std::int64_t y;
  unsigned m, d;
  core::civil_from_days(days - kDays1601To1970, y, m, d);
  if (y < 1601 || y > 9999) return false;
  char buf[48];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%07u00Z",
                              static_cast<int>(y), m, d, rem / 3600, rem / 60 % 60, rem % 60, frac);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) return false;
  out.append(buf, static_cast<std::size_t>(n));
  return true;
}

/// A signed integer as libevtx writes it: negative ones it writes wrongly
/// (20181227: int64 -1 as "-9223372036854775807"), so they are left to it.
template <typename T>
bool put_signed(T v, std::string& out) {
  if (v < 0) return false;
  put_number(v, out);
  return true;
}

/// A value as text, as libevtx renders it; false for a type the fast path
/// does not write (libevtx then reads the record).
bool render(std::string_view s, const Value& v, std::string& out) {
  const std::size_t a = v.at;
  switch (v.type) {
    case 0x00: return true;
    case 0x01: return utf16(s, a, v.size, &out, true);
    case 0x03: return put_signed(static_cast<int>(static_cast<std::int8_t>(s[a])), out);
    case 0x04:
      put_number(static_cast<unsigned>(static_cast<unsigned char>(s[a])), out);
      return true;
    case 0x05: return put_signed(static_cast<std::int16_t>(u16(s, a)), out);
    case 0x06: put_number(u16(s, a), out); return true;
    case 0x07: return put_signed(static_cast<std::int32_t>(u32(s, a)), out);
    case 0x08: put_number(u32(s, a), out); return true;
    case 0x09: return put_signed(static_cast<std::int64_t>(u64(s, a)), out);
    case 0x0a: put_number(u64(s, a), out); return true;
    case 0x14:
      out += "0x";
      put_hex(u32(s, a), 8, false, out);
      return true;
    case 0x15:
      out += "0x";
      put_hex(u64(s, a), 16, false, out);
      return true;
    case 0x0f:
      out += '{';
      put_hex(u32(s, a), 8, true, out);
      out += '-';
      put_hex(u16(s, a + 4), 4, true, out);
      out += '-';
      put_hex(u16(s, a + 6), 4, true, out);
      out += '-';
      for (std::size_t i = 8; i < 16; ++i) {
        if (i == 10) out += '-';
        put_hex(static_cast<unsigned char>(s[a + i]), 2, true, out);
      }
      out += '}';
      return true;
    case 0x11: return put_filetime(u64(s, a), out);
    case 0x13: {
      std::uint64_t authority = 0;
      for (std::size_t i = 2; i < 8; ++i)
        authority = authority << 8 | static_cast<unsigned char>(s[a + i]);
      if (authority > 0xffffffffu) return false;
      out += "S-1-";
      put_number(authority, out);
      const auto count = static_cast<unsigned char>(s[a + 1]);
      for (std::size_t i = 0; i < count; ++i) {
        out += '-';
        put_number(u32(s, a + 8 + 4 * i), out);
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace

void list_records(std::string_view chunk, std::vector<std::uint16_t>& offsets) {
  offsets.clear();
  if (chunk.size() < kChunkSize || chunk.substr(0, 8) != kChunkSignature) return;
  std::size_t end = u32(chunk, 48);
  if (end < 512 || end > kChunkSize) end = kChunkSize;
  std::size_t off = 512;
  while (off + kRecordMin <= end && chunk.substr(off, 4) == kRecordSignature) {
    const std::size_t size = u32(chunk, off + 4);
    if (size < kRecordMin || size > end - off) break;
    offsets.push_back(static_cast<std::uint16_t>(off));
    off += size;
  }
}

struct ChunkDecoder::Impl {
  struct Frame {
    Tag role = Tag::kOther;  ///< what parse_xml takes the element for
    bool children = false;
    bool have_name = false;
    int pieces = 0;  ///< content pieces that are not empty
    const std::string* name = nullptr;
    std::string text;
  };

  std::string_view chunk;
  std::unordered_map<std::uint32_t, Plan> plans;  ///< by template definition offset
  std::vector<Value> values;                      ///< of every fragment being read, the outer first
  std::vector<Frame> frames;  ///< the open elements (kept: their strings' capacity)
  std::size_t depth = 0;
  // The record being read.
  bool seen_root = false, seen_system = false, seen_event_data = false, seen_provider = false,
       seen_event_id = false, seen_channel = false, seen_computer = false, seen_time = false;
  bool wanted = true;  ///< EventData needed: the EventID may be 1 or 4688
  std::string event_id, provider, channel, computer, time, scratch;
  std::vector<std::pair<std::string, std::string>> data;

  const Plan& plan_for(std::uint32_t def, std::size_t size) {
    const auto it = plans.find(def);
    if (it != plans.end()) return it->second;
    Plan& plan = plans[def];  // unordered_map: the reference outlives insertions
    PlanBuilder builder(chunk, plan);
    plan.ok = builder.build(def + 24, def + 24 + size);
    if (!plan.ok) {
      plan.items.clear();
      plan.items.shrink_to_fit();
    }
    return plan;
  }

  /// A piece's text as libevtx renders it into *out: false when the fast
  /// path does not write it. `attribute`: an attribute's value.
  bool text(const Source& src, std::size_t base, bool attribute, std::string& out) const {
    out.clear();
    switch (src.kind) {
      case Src::kAbsent: return true;
      case Src::kBad: return false;
      case Src::kLiteral:
        // Literal text goes through libevtx's escaping: left to libevtx
        // when there is anything to escape.
        if (src.literal.find_first_of("&<>\"'") != std::string::npos) return false;
        out = src.literal;
        return true;
      case Src::kSubst:
        if (!render(chunk, values[base + src.index], out)) return false;
        // libevtx escapes &, < and > in element text (pugixml reads them
        // back); in an attribute, what it would escape is left to it.
        return !attribute || out.find_first_of("&<>\"'") == std::string::npos;
    }
    return false;
  }

  Tag classify(Tag parent, Tag tag) {
    auto first = [](bool& seen) {
      if (seen) return false;
      seen = true;
      return true;
    };
    switch (parent) {
      case Tag::kEvent:
        if (tag == Tag::kSystem && first(seen_system)) return Tag::kSystem;
        if (tag == Tag::kEventData && first(seen_event_data)) return Tag::kEventData;
        return Tag::kOther;
      case Tag::kSystem:
        if (tag == Tag::kProvider && first(seen_provider)) return Tag::kProvider;
        if (tag == Tag::kEventId && first(seen_event_id)) return Tag::kEventId;
        if (tag == Tag::kChannel && first(seen_channel)) return Tag::kChannel;
        if (tag == Tag::kComputer && first(seen_computer)) return Tag::kComputer;
        if (tag == Tag::kTimeCreated && first(seen_time)) return Tag::kTimeCreated;
        return Tag::kOther;
      case Tag::kEventData: return tag == Tag::kData ? Tag::kData : Tag::kOther;
      default: return Tag::kOther;
    }
  }

  /// An optional substitution with nothing in it: libevtx leaves out the
  /// attribute or the element (how, the fast path does not follow).
  bool empty_optional(const Source& src, std::size_t base) const {
    if (src.kind != Src::kSubst || !src.optional) return false;
    const Value& v = values[base + src.index];
    return v.type == 0x00 || v.size == 0;
  }

  static bool needs_text(Tag role) {
    return role == Tag::kEventId || role == Tag::kChannel || role == Tag::kComputer ||
           role == Tag::kData;
  }

  /// Whether an EventID's text leaves EventData unneeded: a plain decimal
  /// that is neither 1 nor 4688 is kOther whatever the data.
  static bool wanted_id(std::string_view id) {
    const std::size_t b = id.find_first_not_of(' ');
    if (b == std::string_view::npos) return true;
    id = id.substr(b, id.find_last_not_of(' ') - b + 1);
    unsigned long long n = 0;
    const auto r = std::from_chars(id.data(), id.data() + id.size(), n);
    return !(r.ec == std::errc() && r.ptr == id.data() + id.size() && n != 1 && n != 4688);
  }

  /// The items of a plan whose substitution values start at `base`.
  bool run(const Plan& plan, std::size_t base, int nest) {
    for (const Item& it : plan.items) {
      switch (it.op) {
        case Op::kOpen: {
          Tag role;
          if (depth == 0) {
            if (seen_root || it.tag != Tag::kEvent) return false;
            seen_root = true;
            role = Tag::kEvent;
          } else {
            frames[depth - 1].children = true;
            role = classify(frames[depth - 1].role, it.tag);
          }
          if (depth >= kMaxFrames) return false;
          if (depth == frames.size()) frames.emplace_back();
          Frame& f = frames[depth++];
          f.role = role;
          f.children = f.have_name = false;
          f.pieces = 0;
          f.name = nullptr;
          f.text.clear();
          break;
        }
        case Op::kName: {
          Frame& f = frames[depth - 1];
          if ((f.role == Tag::kProvider || f.role == Tag::kData) && empty_optional(it.src, base))
            return false;
          if (f.role == Tag::kProvider) {
            if (!text(it.src, base, true, provider)) return false;
          } else if (f.role == Tag::kData) {
            if (it.src.kind == Src::kSubst || it.src.kind == Src::kBad ||
                it.src.literal.find_first_of("&<>\"'") != std::string::npos)
              return false;
            f.have_name = true;
            f.name = &it.src.literal;
          }
          break;
        }
        case Op::kTime:
          if (frames[depth - 1].role == Tag::kTimeCreated &&
              (empty_optional(it.src, base) || !text(it.src, base, true, time)))
            return false;
          break;
        case Op::kPiece: {
          if (it.src.kind == Src::kBad) return false;
          Value* v = it.src.kind == Src::kSubst ? &values[base + it.src.index] : nullptr;
          if (v != nullptr && v->type == 0x00 && !it.src.optional) return false;
          if (frames[depth - 1].role != Tag::kOther && empty_optional(it.src, base)) return false;
          if (v != nullptr && v->type == 0x21) {
            v->used = true;
            if (!fragment(v->at, v->at + v->size, nest + 1)) return false;
            break;
          }
          Frame& f = frames[depth - 1];
          if (!needs_text(f.role) || (f.role == Tag::kData && !wanted)) break;
          if (!text(it.src, base, false, scratch)) return false;
          if (!scratch.empty()) {
            ++f.pieces;
            f.text = scratch;
          }
          break;
        }
        case Op::kClose: {
          Frame& f = frames[--depth];
          if (!needs_text(f.role)) break;
          // Mixed content or text in pieces: left to libevtx.
          if (f.pieces > 1 || (f.pieces > 0 && f.children)) return false;
          // pugixml drops text that is only whitespace (control characters
          // were declined: only spaces are left).
          if (f.text.find_first_not_of(' ') == std::string::npos) f.text.clear();
          switch (f.role) {
            case Tag::kEventId:
              event_id = f.text;
              wanted = wanted_id(event_id);
              break;
            case Tag::kChannel: channel = f.text; break;
            case Tag::kComputer: computer = f.text; break;
            default:
              if (f.have_name && wanted)
                data.emplace_back(f.name != nullptr ? *f.name : std::string(), f.text);
              break;
          }
          break;
        }
      }
    }
    return true;
  }

  /// A binary XML fragment at [p, end): a fragment header and a template
  /// instance, whose items are run.
  bool fragment(std::size_t p, std::size_t end, int nest) {
    const std::string_view c = chunk;
    if (nest > kMaxNest || end > c.size() || p > end) return false;
    if (end - p < 14 || c[p] != 0x0f || c[p + 1] != 1 || c[p + 2] != 1 || c[p + 4] != 0x0c)
      return false;
    const std::uint32_t def = u32(c, p + 10);
    p += 14;
    std::size_t def_size;
    if (def == p) {
      if (end - p < 24) return false;
      def_size = u32(c, p + 20);
      if (def_size > end - p - 24) return false;
      p += 24 + def_size;
    } else {
      if (def > c.size() - 24) return false;
      def_size = u32(c, def + 20);
      if (def_size > c.size() - def - 24) return false;
    }
    const Plan& plan = plan_for(def, def_size);
    if (!plan.ok) return false;
    // The substitution array.
    if (end - p < 4) return false;
    const std::size_t count = u32(c, p);
    p += 4;
    if (count > (end - p) / 4 || count < plan.max_ref) return false;
    const std::size_t base = values.size();
    std::size_t at = p + 4 * count;
    for (std::size_t i = 0; i < count; ++i) {
      const Value v{at, u16(c, p + 4 * i), static_cast<unsigned char>(c[p + 4 * i + 2])};
      if (v.size > end - at || !value_ok(c, v)) return false;
      values.push_back(v);
      at += v.size;
    }
    // libevtx fails on a null value in a normal substitution, and leaves
    // out what an optional one would fill: where that matters, it decides.
    for (const AttributeRef& r : plan.attribute_refs) {
      const Value& v = values[base + r.index];
      if (v.type == 0x21 || (v.type == 0x00 && !r.optional)) return false;
    }
    if (!run(plan, base, nest)) return false;
    for (std::size_t i = base; i < values.size(); ++i)
      if (values[i].type == 0x21 && !values[i].used) return false;
    values.resize(base);
    return true;
  }

  bool decode(std::size_t off, ParseResult& out, std::uint64_t* id) {
    const std::string_view c = chunk;
    if (off > c.size() || c.size() - off < kRecordMin || c.substr(off, 4) != kRecordSignature)
      return false;
    const std::size_t size = u32(c, off + 4);
    if (size < kRecordMin || size > c.size() - off) return false;
    values.clear();
    depth = 0;
    seen_root = seen_system = seen_event_data = seen_provider = seen_event_id = seen_channel =
        seen_computer = seen_time = false;
    wanted = true;
    event_id.clear();
    provider.clear();
    channel.clear();
    computer.clear();
    time.clear();
    data.clear();
    if (!fragment(off + 24, off + size - 4, 0) || depth != 0 || !seen_system || !seen_event_id)
      return false;
    if (!wanted) data.clear();
    if (id != nullptr) *id = u64(c, off + 8);
    out = EventReader::from_fields(event_id, provider, channel, computer, time, std::move(data));
    data = {};
    return true;
  }
};

ChunkDecoder::ChunkDecoder() : impl_(std::make_unique<Impl>()) {}
ChunkDecoder::~ChunkDecoder() = default;
ChunkDecoder::ChunkDecoder(ChunkDecoder&&) noexcept = default;
ChunkDecoder& ChunkDecoder::operator=(ChunkDecoder&&) noexcept = default;

void ChunkDecoder::set_chunk(std::string_view chunk) {
  impl_->chunk = chunk;
  impl_->plans.clear();
}

bool ChunkDecoder::decode(std::size_t offset, ParseResult& out, std::uint64_t* id) {
  return impl_->decode(offset, out, id);
}

}  // namespace ioc::events::binxml
