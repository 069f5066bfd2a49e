#include "ioc/ioc/grep.hpp"

#include <algorithm>
#include <array>
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

std::string display_name(std::string_view name) {
  return name.empty() || name == "-" ? std::string(kStdinName) : std::string(name);
}

std::string_view hit_type_name(const Hit& h) {
  return h.type == Type::kCustom ? std::string_view(h.name) : type_name(h.type);
}

// The hits of one record: the text itself, then (--decode, --wide) the
// indicators inside blobs decoded from it, each carrying how it was decoded.
void scan_record(Scanner& scanner, std::string_view text, const GrepOptions& o,
                 std::vector<Hit>& hits) {
  scanner.scan(text, hits);
  if (o.decoders == 0 && !o.wide) return;
  std::vector<DecodedText> decoded;
  if (o.decoders != 0) {
    EmbeddedOptions eo;
    eo.decoders = o.decoders;
    eo.limits = o.limits;
    find_embedded(text, eo, decoded);
  }
  if (o.wide) find_wide_strings(text, 4, decoded);
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

// Filters and value rewrites that depend only on the hit (run on workers).
void filter_hits(const GrepOptions& o, std::vector<Hit>& hits) {
  if (o.public_only || o.exclude) {
    std::erase_if(hits, [&](const Hit& h) {
      return (o.public_only && is_special_address(h)) || (o.exclude && o.exclude->excluded(h));
    });
  }
  if (o.registrable)
    for (Hit& h : hits)
      if (h.type == Type::kDomain) h.value = registrable_domain(h.value);
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

class Sink {
 public:
  Sink(const GrepOptions& o, io::Output& out) : o_(o), out_(out) {}

  // Returns false to stop reading (closed pipe, -q after a hit).
  bool record(const Source& src, std::string_view text, bool field_mode,
              const std::vector<Hit>& hits) {
    std::size_t written = 0;
    for (const Hit& h : hits) {
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
          ++custom_counts_[h.name];
        else
          ++counts_[static_cast<std::size_t>(h.type)];
        continue;
      }
      const std::uint64_t offset = (field_mode ? 0 : src.offset) + h.begin;
      const std::string_view raw =
          h.decoded_from.empty() ? text.substr(h.begin, h.end - h.begin) : std::string_view(h.raw);
      if (o_.share) {
        indicators_.push_back({h.type, h.value, h.name});
        continue;
      }
      if (o_.sort || o_.format == GrepFormat::kJson) {
        stored_.push_back({h.type, h.name, h.value, std::string(raw), h.defanged,
                           display_name(src.name), src.line, offset, h.decoded_from});
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
    std::string shown;
    if (o_.defang) {
      shown = defang(type, value);
      value = shown;
    }
    switch (o_.format) {
      case GrepFormat::kPlain:
        if (o_.with_filename) {
          buf_ += display_name(source);
          buf_ += ':';
        }
        if (o_.line_number) {
          buf_ += std::to_string(line);
          buf_ += ':';
        }
        if (o_.byte_offset) {
          buf_ += std::to_string(offset);
          buf_ += ':';
        }
        if (o_.with_type) {
          buf_ += type_name_str;
          buf_ += '\t';
        }
        if (out_.is_tty())
          buf_ += io::escape_for_terminal(value);
        else
          buf_ += value;
        buf_ += o_.terminator;
        break;
      case GrepFormat::kJsonl:
        append_hit_jsonl(buf_, {type_name_str, value, raw, defanged, display_name(source), line,
                                offset, decoded_from});
        break;
      case GrepFormat::kCsv:
      case GrepFormat::kTsv: {
        write_header_once();
        const bool csv = o_.format == GrepFormat::kCsv;
        const auto cell = [&](std::string_view v) {
          if (csv)
            io::append_csv_cell(buf_, v);
          else
            io::append_tsv_cell(buf_, v);
        };
        cell(type_name_str);
        buf_ += csv ? ',' : '\t';
        cell(value);
        buf_ += csv ? ',' : '\t';
        cell(raw);
        buf_ += csv ? ',' : '\t';
        cell(display_name(source));
        buf_ += csv ? ',' : '\t';
        buf_ += std::to_string(line);
        buf_ += csv ? ',' : '\t';
        buf_ += std::to_string(offset);
        buf_ += csv ? "\r\n" : "\n";
        break;
      }
      case GrepFormat::kJson: break;  // written by finish()
    }
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
};

}  // namespace

bool grep_records(const io::InputOptions& input, const GrepOptions& o, io::Output& out,
                  io::Diagnostics& diag) {
  Sink sink(o, out);
  const bool field_mode = !input.field.empty();
  bool completed = true;
  if (o.jobs <= 1) {
    Scanner scanner(o.scan);
    std::vector<Hit> hits;
    completed = io::for_each_record(input, diag, [&](io::Record& rec) {
      hits.clear();
      scan_record(scanner, rec.text, o, hits);
      filter_hits(o, hits);
      if (hits.empty()) return true;
      diag.count_ok();
      return sink.record(rec.source, rec.text, field_mode, hits);
    });
  } else {
    std::function<std::vector<Hit>(io::OwnedRecord&)> work = [&](io::OwnedRecord& rec) {
      thread_local std::unique_ptr<Scanner> scanner;
      thread_local const GrepOptions* owner = nullptr;
      if (!scanner || owner != &o) {
        scanner = std::make_unique<Scanner>(o.scan);
        owner = &o;
      }
      std::vector<Hit> hits;
      scan_record(*scanner, rec.text, o, hits);
      filter_hits(o, hits);
      return hits;
    };
    std::function<bool(io::OwnedRecord&, std::vector<Hit>&)> emit = [&](io::OwnedRecord& rec,
                                                                        std::vector<Hit>& hits) {
      if (hits.empty()) return true;
      diag.count_ok();
      return sink.record(rec.source(), rec.text, field_mode, hits);
    };
    completed = io::parallel_records<std::vector<Hit>>(input, diag, {.jobs = o.jobs}, work, emit);
  }
  sink.finish(diag);
  return completed && !(o.quiet && sink.any());
}

}  // namespace ioc::scan
