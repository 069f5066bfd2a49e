#include "ioc/ioc/grep.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <unordered_set>

#include "ioc/hit_json.hpp"
#include "ioc/io/parallel.hpp"
#include "ioc/io/writer.hpp"
#include "ioc/ioc/embedded.hpp"
#include "ioc/ioc/refang.hpp"

namespace ioc::scan {

Result<GrepFormat> parse_grep_format(std::string_view name) {
  if (name == "plain" || name == "text") return GrepFormat::kPlain;
  if (name == "jsonl") return GrepFormat::kJsonl;
  if (name == "json") return GrepFormat::kJson;
  if (name == "csv") return GrepFormat::kCsv;
  if (name == "tsv") return GrepFormat::kTsv;
  return make_error(ErrorCode::kUsage, "unknown format '" + std::string(name) + "'; use " +
                                           std::string(grep_format_names()));
}

std::string_view grep_format_names() noexcept {
  return "plain, jsonl, json, csv or tsv";
}

namespace {

std::string_view display_name(std::string_view name) {
  return name.empty() || name == "-" ? kStdinName : name;
}

std::string_view hit_type_name(const HitView& h) {
  return h.type == Type::kCustom ? h.name : type_name(h.type);
}

// In the strings of a binary, a dotted name right after a '.' is a section or
// symbol name (".note.gnu.property", ".data.rel.ro", Go's "type:.eq.github.com"),
// not a host; in text such a name stays a domain ("domain=.example.com").
template <typename H>  // Hit or HitView
void drop_section_names(std::string_view text, std::vector<H>& hits, std::size_t first) {
  const auto section = [&](const H& h) {
    return h.type == Type::kDomain && !h.derived && h.begin > 0 && text[h.begin - 1] == '.';
  };
  hits.erase(std::remove_if(hits.begin() + static_cast<std::ptrdiff_t>(first), hits.end(), section),
             hits.end());
}

// The hits of one record: the text itself, then (--decode, --wide) the
// indicators inside blobs decoded from it, each carrying how it was decoded.
// A binary input's UTF-16LE string (--wide) is such a blob already: its hits
// carry decoded_from utf16le and the string's span, as those of a line's.
void scan_record(Scanner& scanner, std::string_view text, io::RecordKind kind, const GrepOptions& o,
                 std::vector<Hit>& hits) {
  if (kind == io::RecordKind::kWideString) {
    const std::size_t first = hits.size();
    scanner.scan(text, hits);
    for (std::size_t k = first; k < hits.size(); ++k) {
      Hit& h = hits[k];
      h.raw = std::string(text.substr(h.begin, h.end - h.begin));
      h.decoded_from = "utf16le";
      h.begin = 0;
      h.end = 2 * text.size();
    }
    return;
  }
  const std::size_t first = hits.size();
  scanner.scan(text, hits);
  if (kind == io::RecordKind::kPrintableRun) drop_section_names(text, hits, first);
  if (o.decoders == 0 && !o.wide) return;
  std::vector<DecodedText> decoded;
  if (o.decoders != 0) {
    EmbeddedOptions eo;
    eo.decoders = o.decoders;
    eo.limits = o.limits;
    find_embedded(text, eo, decoded);
  }
  // A printable run holds no NUL byte: its input's UTF-16LE strings are records of their own.
  if (o.wide && kind == io::RecordKind::kText) find_wide_strings(text, 4, decoded);
  std::vector<Hit> inner;
  for (const DecodedText& d : decoded) {
    inner.clear();
    scanner.scan(d.text, inner);
    for (Hit& h : inner) {
      h.raw = d.text.substr(h.begin, h.end - h.begin);
      h.decoded_from = d.chain;
      h.begin = d.begin;
      h.end = d.end;
      hits.push_back(std::move(h));
    }
  }
}

// --public-only and --exclude.
template <typename H>  // Hit or HitView
void drop_unwanted(const GrepOptions& o, std::vector<H>& hits) {
  if (o.public_only || o.exclude) {
    std::erase_if(hits, [&](const H& h) {
      return (o.public_only && is_special_address(h.type, h.value)) ||
             (o.exclude && o.exclude->excluded(h.type, h.value));
    });
  }
}

// The hits of one record, as views: into the scanner (the usual case, with no
// copy per hit), or into `owned` for hits from decoded blobs and --wide
// strings, --registrable values, and hits that must outlive the next scan.
struct RecordHits {
  std::vector<Hit> owned;
  std::vector<HitView> views;  // when filtered or owned
  std::span<const HitView> hits;
};

// Scans a record and applies the filters and value rewrites that depend only
// on the hit (run on workers). `borrow`: the views may point into the scanner
// (they are used before its next scan).
void collect_hits(Scanner& scanner, std::string_view text, io::RecordKind kind,
                  const GrepOptions& o, bool borrow, RecordHits& r) {
  r.views.clear();
  if (borrow && kind != io::RecordKind::kWideString && o.decoders == 0 && !o.wide &&
      !o.registrable) {
    r.hits = scanner.scan_views(text);
    if (kind == io::RecordKind::kText && !o.public_only && !o.exclude) return;
    r.views.assign(r.hits.begin(), r.hits.end());
    if (kind == io::RecordKind::kPrintableRun) drop_section_names(text, r.views, 0);
    drop_unwanted(o, r.views);
    r.hits = r.views;
    return;
  }
  r.owned.clear();
  scan_record(scanner, text, kind, o, r.owned);
  drop_unwanted(o, r.owned);
  if (o.registrable)
    for (Hit& h : r.owned)
      if (h.type == Type::kDomain) h.value = registrable_domain(h.value);
  for (const Hit& h : r.owned) r.views.push_back(view_of(h));
  r.hits = r.views;
}

// kPlainJson[c]: byte c needs no JSON escaping and no UTF-8 repair (printable
// ASCII other than '"' and '\\').
constexpr auto kPlainJson = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c <= 0x7e; ++c) t[c] = c != '"' && c != '\\';
  return t;
}();

bool plain_json(std::string_view s) {
  bool ok = true;
  for (char c : s) ok &= kPlainJson[static_cast<unsigned char>(c)];
  return ok;
}

// Writers into a buffer sized beforehand: literals copy a constant number of
// bytes (inlined), strings one memcpy each.
template <std::size_t N>
char* put(char* p, const char (&text)[N]) {
  std::memcpy(p, text, N - 1);
  return p + N - 1;
}
char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}
char* put_uint(char* p, std::uint64_t v) {
  return std::to_chars(p, p + 20, v).ptr;  // the caller sized the buffer for 20 digits
}

// plain_json(source), remembered for the input being read (the hits of an
// input all carry the same name).
bool plain_source(std::string_view source) {
  thread_local std::string_view last;
  thread_local bool last_plain = false;
  if (source.data() != last.data() || source.size() != last.size()) {
    last = source;
    last_plain = plain_json(source);
  }
  return last_plain;
}

// append_hit_jsonl's bytes for hits whose strings all pass plain_json (nearly
// all of them), written without the JSON writer; false, writing nothing, else.
// Built-in type names need no check (`custom`: h.type is a pattern's name).
bool append_plain_hit_jsonl(std::string& buf, const HitFields& h, bool custom) {
  if (!plain_source(h.source) || (custom && !plain_json(h.type)) || !plain_json(h.value) ||
      !plain_json(h.raw) || !plain_json(h.decoded_from))
    return false;
  // The fixed text is under 128 bytes, the two numbers 20 digits each at most.
  const std::size_t at = buf.size();
  buf.resize(at + h.type.size() + h.value.size() + h.raw.size() + h.source.size() +
             h.decoded_from.size() + 128 + 40);
  char* p = buf.data() + at;
  p = put(p, "{\"type\":\"");
  p = put(p, h.type);
  p = put(p, "\",\"value\":\"");
  p = put(p, h.value);
  p = put(p, "\",\"raw\":\"");
  p = put(p, h.raw);
  if (h.defanged)
    p = put(p, "\",\"defanged\":true,\"source\":\"");
  else
    p = put(p, "\",\"defanged\":false,\"source\":\"");
  p = put(p, h.source);
  p = put(p, "\",\"line\":");
  p = put_uint(p, h.line);
  p = put(p, ",\"offset\":");
  p = put_uint(p, h.offset);
  if (!h.decoded_from.empty()) {
    p = put(p, ",\"decoded_from\":\"");
    p = put(p, h.decoded_from);
    p = put(p, "\"");
  }
  p = put(p, "}\n");
  buf.resize(static_cast<std::size_t>(p - buf.data()));
  return true;
}

struct Stored {
  Type type;
  std::string name;  // custom type name
  std::string value;
  std::string raw;
  bool defanged;
  std::string source;
  std::uint64_t line;
  std::uint64_t offset;
  std::string decoded_from;
};

// One hit as a line of the plain, jsonl, csv or tsv output (json is written
// at the end). Runs on worker threads too: only its arguments are touched.
void render_hit(std::string& buf, const GrepOptions& o, bool tty, HitFields h, Type type) {
  std::string shown;
  if (o.defang) {
    shown = defang(type, h.value);
    h.value = shown;
  }
  const std::string_view source = display_name(h.source);
  switch (o.format) {
    case GrepFormat::kPlain:
      if (o.with_filename) {
        buf += source;
        buf += ':';
      }
      if (o.line_number) {
        buf += std::to_string(h.line);
        buf += ':';
      }
      if (o.byte_offset) {
        buf += std::to_string(h.offset);
        buf += ':';
      }
      if (o.with_type) {
        buf += h.type;
        buf += '\t';
      }
      if (tty)
        buf += io::escape_for_terminal(h.value);
      else
        buf += h.value;
      buf += o.terminator;
      break;
    case GrepFormat::kJsonl:
      h.source = source;
      if (!append_plain_hit_jsonl(buf, h, type == Type::kCustom)) append_hit_jsonl(buf, h);
      break;
    case GrepFormat::kCsv:
    case GrepFormat::kTsv: {
      const bool csv = o.format == GrepFormat::kCsv;
      const auto cell = [&](std::string_view v) {
        if (csv)
          io::append_csv_cell(buf, v);
        else
          io::append_tsv_cell(buf, v);
      };
      const char sep = csv ? ',' : '\t';
      cell(h.type);
      buf += sep;
      cell(h.value);
      buf += sep;
      cell(h.raw);
      buf += sep;
      cell(source);
      buf += sep;
      buf += std::to_string(h.line);
      buf += sep;
      buf += std::to_string(h.offset);
      buf += csv ? "\r\n" : "\n";
      break;
    }
    case GrepFormat::kJson: break;  // written by Sink::finish()
  }
}

// The lines of a record's hits (streaming formats), into `out`. The record is
// text[at, ...): hit spans are in text's coordinates.
void render_record(std::string& out, const GrepOptions& o, bool tty, const Source& src,
                   bool field_mode, std::string_view text, std::size_t at,
                   std::span<const HitView> hits) {
  for (const HitView& h : hits) {
    const std::uint64_t offset = (field_mode ? 0 : src.offset) + (h.begin - at);
    const std::string_view raw =
        h.decoded_from.empty() ? text.substr(h.begin, h.end - h.begin) : h.raw;
    render_hit(
        out, o, tty,
        {hit_type_name(h), h.value, raw, h.defanged, src.name, src.line, offset, h.decoded_from},
        h.type);
  }
}

// Hits written as they come, in input order, with nothing remembered: then
// worker threads can render them (see grep_records).
bool streaming(const GrepOptions& o) {
  return !o.unique && !o.sort && !o.count && !o.quiet && !o.share && o.format != GrepFormat::kJson;
}

class Sink {
 public:
  Sink(const GrepOptions& o, io::Output& out)
      : o_(o),
        out_(out),
        values_only_(o.format == GrepFormat::kPlain && streaming(o) && !o.with_filename &&
                     !o.line_number && !o.byte_offset && !o.with_type && !o.defang &&
                     !out.is_tty()) {}

  // Returns false to stop reading (closed pipe, -q after a hit). The record
  // is text[at, ...): hit spans are in text's coordinates.
  bool record(const Source& src, std::string_view text, std::size_t at, bool field_mode,
              std::span<const HitView> hits) {
    if (values_only_) {  // the default: what render_hit writes, without its switches
      for (const HitView& h : hits) {
        out_.write(h.value);
        out_.put(o_.terminator);
      }
      any_ += hits.size();
      return !out_.broken_pipe();
    }
    std::size_t written = 0;
    for (const HitView& h : hits) {
      const std::string_view type = hit_type_name(h);
      if (o_.unique || o_.format == GrepFormat::kJson || o_.share) {
        std::string k(type);
        k += '\0';
        k += h.value;
        if (!seen_.insert(std::move(k)).second) continue;
      }
      ++written;
      ++any_;
      if (o_.quiet) return false;
      if (o_.count) {
        if (h.type == Type::kCustom)
          ++custom_counts_[std::string(h.name)];
        else
          ++counts_[static_cast<std::size_t>(h.type)];
        continue;
      }
      const std::uint64_t offset = (field_mode ? 0 : src.offset) + (h.begin - at);
      const std::string_view raw =
          h.decoded_from.empty() ? text.substr(h.begin, h.end - h.begin) : h.raw;
      if (o_.share) {
        indicators_.push_back({h.type, std::string(h.value), std::string(h.name)});
        continue;
      }
      if (o_.sort || o_.format == GrepFormat::kJson) {
        stored_.push_back({h.type, std::string(h.name), std::string(h.value), std::string(raw),
                           h.defanged, std::string(display_name(src.name)), src.line, offset,
                           std::string(h.decoded_from)});
        continue;
      }
      write(type, h.type, h.value, raw, h.defanged, src.name, src.line, offset, h.decoded_from);
    }
    (void)written;
    flush_buffer();
    return !out_.broken_pipe();
  }

  // Returns false on an error (reported to diag).
  bool finish(io::Diagnostics& diag) {
    if (o_.share && !o_.count) return finish_share(diag);
    finish_records();
    return true;
  }

  void finish_records() {
    if (o_.count) {
      std::vector<std::pair<std::string, std::uint64_t>> rows;
      for (std::size_t i = 0; i < kTypeCount; ++i)
        if (counts_[i] > 0) rows.emplace_back(type_name(static_cast<Type>(i)), counts_[i]);
      for (const auto& [name, n] : custom_counts_) rows.emplace_back(name, n);
      for (const auto& [type, n] : rows) {
        if (o_.format == GrepFormat::kJsonl || o_.format == GrepFormat::kJson) {
          append_count_jsonl(buf_, type, n);
        } else {
          buf_ += type;
          buf_ += o_.format == GrepFormat::kCsv ? ',' : '\t';
          buf_ += std::to_string(n);
          buf_ += '\n';
        }
      }
    } else if (o_.format == GrepFormat::kJson) {
      std::map<std::string, std::vector<std::string>> by_type;
      for (const Stored& s : stored_)
        by_type[s.type == Type::kCustom ? s.name : std::string(type_name(s.type))].push_back(
            o_.defang ? defang(s.type, s.value) : s.value);
      std::vector<std::pair<std::string, std::vector<std::string>>> ordered;
      for (auto& [type, values] : by_type) {
        std::sort(values.begin(), values.end());
        ordered.emplace_back(type, std::move(values));
      }
      std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        return type_rank(a.first) < type_rank(b.first) ||
               (type_rank(a.first) == type_rank(b.first) && a.first < b.first);
      });
      append_type_map_json(buf_, ordered);
    } else if (o_.sort) {
      std::stable_sort(stored_.begin(), stored_.end(), [](const Stored& a, const Stored& b) {
        if (a.type != b.type) return a.type < b.type;
        if (a.name != b.name) return a.name < b.name;
        return a.value < b.value;
      });
      for (const Stored& s : stored_) {
        const std::string_view type =
            s.type == Type::kCustom ? std::string_view(s.name) : type_name(s.type);
        write(type, s.type, s.value, s.raw, s.defanged, s.source, s.line, s.offset, s.decoded_from);
        if (buf_.size() > (1 << 16)) flush_buffer();
      }
    }
    flush_buffer();
  }

  bool any() const { return any_ > 0; }

  // The input pauses (io::Record::pause): what is written so far goes out,
  // so that a followed log (tail -f | iocgrep) shows its hits as they come.
  void pause() {
    if (!streaming(o_)) return;  // -u, --sort, -c, json and sharing: all at the end
    flush_buffer();
    out_.flush();
  }

  // Output rendered by a worker (streaming formats only).
  bool write_rendered(std::string_view text, std::size_t hits) {
    if (hits == 0) return true;
    any_ += hits;
    if (o_.format == GrepFormat::kCsv || o_.format == GrepFormat::kTsv) write_header_once();
    flush_buffer();
    out_.write(text);
    return !out_.broken_pipe();
  }

  bool finish_share(io::Diagnostics& diag) {
    auto result = write_share(*o_.share, indicators_, o_.share_options);
    if (!result) {
      diag.io_error(result.error().message);
      return false;
    }
    bool ok = true;
    for (const ShareFile& f : result->files) {
      if (f.name.empty()) {
        out_.write(f.text);
        continue;
      }
      const std::string path = o_.share_dir + "/" + f.name;
      std::ofstream file(path, std::ios::binary | std::ios::trunc);
      file << f.text;
      file.close();
      if (!file) {
        diag.io_error(path + ": cannot write");
        ok = false;
      }
    }
    if (result->skipped > 0)
      diag.note(std::to_string(result->skipped) + " indicator(s) of types the format cannot " +
                "express were left out");
    return ok;
  }

 private:
  static std::size_t type_rank(const std::string& name) {
    if (auto t = type_from_name(name)) return static_cast<std::size_t>(*t);
    return kTypeCount;
  }

  void write_header_once() {
    if (header_written_) return;
    header_written_ = true;
    const char sep = o_.format == GrepFormat::kCsv ? ',' : '\t';
    for (std::string_view col : {"type", "value", "raw", "source", "line", "offset"}) {
      if (col != "type") buf_ += sep;
      buf_ += col;
    }
    buf_ += '\n';
  }

  void write(std::string_view type_name_str, Type type, std::string_view value,
             std::string_view raw, bool defanged, std::string_view source, std::uint64_t line,
             std::uint64_t offset, std::string_view decoded_from) {
    if (o_.format == GrepFormat::kCsv || o_.format == GrepFormat::kTsv) write_header_once();
    render_hit(buf_, o_, out_.is_tty(),
               {type_name_str, value, raw, defanged, source, line, offset, decoded_from}, type);
  }

  void flush_buffer() {
    if (buf_.empty()) return;
    out_.write(buf_);
    buf_.clear();
  }

  const GrepOptions& o_;
  io::Output& out_;
  std::string buf_;
  std::unordered_set<std::string> seen_;
  std::array<std::uint64_t, kTypeCount> counts_{};
  std::map<std::string, std::uint64_t> custom_counts_;
  std::vector<Stored> stored_;
  std::vector<Indicator> indicators_;
  bool header_written_ = false;
  std::uint64_t any_ = 0;
  const bool values_only_;  // plain values, one per line, nothing else to do per hit
};

// Text lines joined with '\n' and scanned as one text (Scanner::line_bounded):
// the scanner's fixed work per call (refanging, byte classes, sorting, the
// views) then falls on blocks rather than on lines, and each line still gets
// its own hits. Used by one thread (LineBlocks) and by each -j worker.
class LineBlock {
 public:
  // Whether the lines of `input` can go in blocks.
  static bool usable(const ScanOptions& scan, const io::InputOptions& input, const GrepOptions& o) {
    return Scanner(scan).line_bounded() && input.separator == '\n' && !input.whole &&
           input.field.empty() && o.decoders == 0 && !o.wide && !o.registrable;
  }

  void add(std::string_view line) {
    text_ += line;
    text_ += '\n';
  }
  bool empty() const { return text_.empty(); }
  std::size_t size() const { return text_.size(); }

  // Scans the block (less --public-only and --exclude hits) and calls
  // each(k, text, at, hits) for every line k that has hits, at `at` in
  // `text`, with them (spans in text's coordinates), until `each` returns
  // false; then empties the block. Returns false when `each` did.
  template <typename Each>
  bool scan(Scanner& scanner, const GrepOptions& o, Each&& each) {
    const bool go_on = scan(scanner, o, text_, each);
    text_.clear();
    return go_on;
  }

  // The same for lines that stand elsewhere, each followed by '\n' (an
  // io::RecordKind::kLines record).
  template <typename Each>
  bool scan(Scanner& scanner, const GrepOptions& o, std::string_view text, Each&& each) {
    std::span<const HitView> hits = scanner.scan_views(text);
    if (o.public_only || o.exclude) {
      kept_.assign(hits.begin(), hits.end());
      drop_unwanted(o, kept_);
      hits = kept_;
    }
    // Line k is text[at, end); no hit spans a newline (Scanner::line_bounded).
    // Most lines of a log have hits: they are walked, not counted.
    std::size_t k = 0, at = 0, end = text.find('\n');  // every line ends with one
    for (std::size_t h = 0; h < hits.size();) {
      const std::size_t begin = hits[h].begin;
      while (end < begin) {
        ++k;
        at = end + 1;
        end = text.find('\n', at);
      }
      const std::size_t first = h;
      while (h < hits.size() && hits[h].begin <= end) ++h;
      if (!each(k, text, at, hits.subspan(first, h - first))) return false;
    }
    return true;
  }

 private:
  std::string text_;  // the lines, each followed by '\n'
  std::vector<HitView> kept_;
};

// One thread's text lines, in blocks of about 32 KiB: each line goes to the
// sink as a record of its own.
class LineBlocks {
 public:
  static constexpr std::size_t kBlock = 32 * 1024;

  LineBlocks(Scanner& scanner, Sink& sink, const GrepOptions& o, io::Diagnostics& diag)
      : scanner_(scanner), sink_(sink), o_(o), diag_(diag) {}

  // Adds a line; false when the sink stops the loop. The block is scanned
  // when full, and when the input pauses after the line.
  bool add(const io::Record& rec) {
    if (rec.source.name != name_) {  // a new input: its name outlives the record
      if (!flush()) return false;
      name_.assign(rec.source.name);
    }
    lines_.push_back({rec.source.line, rec.source.offset});
    block_.add(rec.text);
    if (rec.pause) {
      const bool go_on = flush();
      sink_.pause();
      return go_on;
    }
    return block_.size() < kBlock || flush();
  }

  // Scans the block and hands each line's hits to the sink; false when it stops.
  bool flush() {
    if (block_.empty()) return true;
    const bool go_on = block_.scan(
        scanner_, o_,
        [&](std::size_t k, std::string_view text, std::size_t at, std::span<const HitView> hits) {
          return line(Source{name_, lines_[k].number, lines_[k].offset}, text, at, hits);
        });
    lines_.clear();
    return go_on;
  }

  // Lines that come several to a record (io::RecordKind::kLines), scanned
  // where they stand, after the lines gathered before them.
  bool add_run(const io::Record& rec) {
    if (!flush()) return false;
    const bool go_on = block_.scan(
        scanner_, o_, rec.text,
        [&](std::size_t k, std::string_view text, std::size_t at, std::span<const HitView> hits) {
          return line(Source{rec.source.name, rec.source.line + k, rec.source.offset + at}, text,
                      at, hits);
        });
    if (rec.pause) sink_.pause();
    return go_on;
  }

 private:
  // A line with hits, at `at` in `text`: counted and handed to the sink.
  bool line(const Source& src, std::string_view text, std::size_t at,
            std::span<const HitView> hits) {
    diag_.count_ok();
    return sink_.record(src, text, at, false, hits);
  }

  struct Line {
    std::uint64_t number, offset;
  };
  Scanner& scanner_;
  Sink& sink_;
  const GrepOptions& o_;
  io::Diagnostics& diag_;
  std::string name_;
  LineBlock block_;
  std::vector<Line> lines_;
};

}  // namespace

bool grep_records(const io::InputOptions& options, const GrepOptions& o, io::Output& out,
                  io::Diagnostics& diag) {
  // --wide: binary inputs also hand over their UTF-16LE strings.
  io::InputOptions input = options;
  input.wide = o.wide;
  Sink sink(o, out);
  const bool field_mode = !input.field.empty();
  bool completed = true;
  if (o.jobs <= 1) {
    Scanner scanner(o.scan);
    RecordHits hits;
    const bool blocks = LineBlock::usable(o.scan, input, o);
    // Lines are scanned where the reader holds them when it can (no copy).
    if (blocks) input.line_runs = LineBlocks::kBlock;
    LineBlocks lines(scanner, sink, o, diag);
    completed = io::for_each_record(input, diag, [&](io::Record& rec) {
      if (rec.kind == io::RecordKind::kLines) return lines.add_run(rec);
      if (blocks && rec.kind == io::RecordKind::kText) return lines.add(rec);
      if (!lines.flush()) return false;
      collect_hits(scanner, rec.text, rec.kind, o, /*borrow=*/true, hits);
      bool go_on = true;
      if (!hits.hits.empty()) {
        diag.count_ok();
        go_on = sink.record(rec.source, rec.text, 0, field_mode, hits.hits);
      }
      if (rec.pause) sink.pause();
      return go_on;
    });
    if (completed) completed = lines.flush();
  } else {
    // Workers scan, filter and, for the streaming formats, render; the calling
    // thread only writes (and, for -u, --sort, -c, json and the sharing
    // formats, which need every hit in one place, does the rest).
    struct Found {
      RecordHits hits;
      std::string rendered;
      std::size_t count = 0;
      std::size_t lines = 0;  // kLines: lines with hits
      // Found objects are reused: their buffers are kept, their contents not.
      void clear() {
        rendered.clear();
        count = lines = 0;
        hits.hits = {};
      }
    };
    const bool render = streaming(o);
    const bool tty = out.is_tty();
    // One scanner per worker thread.
    const auto thread_scanner = [&]() -> Scanner& {
      thread_local std::unique_ptr<Scanner> scanner;
      thread_local const GrepOptions* owner = nullptr;
      if (!scanner || owner != &o) {
        scanner = std::make_unique<Scanner>(o.scan);
        owner = &o;
      }
      return *scanner;
    };
    const auto work = [&](io::OwnedRecord& rec, Found& f) {
      Scanner& scanner = thread_scanner();
      f.clear();
      // Rendered here, the views may point into this thread's scanner;
      // otherwise they are used after its next scan.
      collect_hits(scanner, rec.text, rec.kind, o, /*borrow=*/render, f.hits);
      f.count = f.hits.hits.size();
      if (render) {
        render_record(f.rendered, o, tty, rec.source(), field_mode, rec.text, 0, f.hits.hits);
        f.hits.hits = {};
      }
    };
    // Rendered output of text lines: each run of them in a batch is scanned
    // as one block (LineBlock, on a worker), and each line gets its own hits.
    const bool blocks = render && LineBlock::usable(o.scan, input, o);
    // Runs of lines come as one record each (no copy per line on the reading
    // thread); a worker scans one and renders each of its lines with hits.
    if (blocks) input.line_runs = LineBlocks::kBlock;
    std::function<void(std::span<io::OwnedRecord>, std::span<Found>)> work_batch =
        [&](std::span<io::OwnedRecord> records, std::span<Found> found) {
          thread_local LineBlock block;
          for (std::size_t k = 0; k < records.size();) {
            if (records[k].kind == io::RecordKind::kLines) {
              const io::OwnedRecord& rec = records[k];
              Found& f = found[k];
              f.clear();
              block.scan(thread_scanner(), o, std::string_view(rec.text),
                         [&](std::size_t line, std::string_view text, std::size_t at,
                             std::span<const HitView> hits) {
                           f.count += hits.size();
                           ++f.lines;
                           render_record(f.rendered, o, tty,
                                         Source{rec.source_name, rec.line + line, rec.offset + at},
                                         false, text, at, hits);
                           return true;
                         });
              ++k;
              continue;
            }
            if (!blocks || records[k].kind != io::RecordKind::kText) {
              work(records[k], found[k]);
              ++k;
              continue;
            }
            std::size_t end = k;
            for (; end < records.size() && records[end].kind == io::RecordKind::kText; ++end) {
              block.add(records[end].text);
              found[end].clear();  // filled below for lines with hits
            }
            block.scan(thread_scanner(), o,
                       [&](std::size_t line, std::string_view text, std::size_t at,
                           std::span<const HitView> hits) {
                         Found& f = found[k + line];
                         f.count = hits.size();
                         render_record(f.rendered, o, tty, records[k + line].source(), false, text,
                                       at, hits);
                         return true;
                       });
            k = end;
          }
        };
    std::function<bool(io::OwnedRecord&, Found&)> emit = [&](io::OwnedRecord& rec, Found& f) {
      bool go_on = true;
      if (f.count > 0) {
        diag.count_ok(rec.kind == io::RecordKind::kLines ? f.lines : 1);
        go_on = render ? sink.write_rendered(f.rendered, f.count)
                       : sink.record(rec.source(), rec.text, 0, field_mode, f.hits.hits);
      }
      if (rec.pause) sink.pause();  // the input waits: what is written goes out
      return go_on;
    };
    completed = io::parallel_batches<Found>(
        input, diag, {.jobs = o.jobs, .batch_records = 2048, .batch_bytes = 1 << 20}, work_batch,
        emit);
  }
  sink.finish(diag);
  return completed && !(o.quiet && sink.any());
}

}  // namespace ioc::scan
