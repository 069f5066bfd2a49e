// `--field NAME`: one field of JSON-lines or CSV/TSV records.
#include "ioc/io/fields.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ioc::io {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') return false;
  return true;
}

std::string_view skip_space(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
  return s.substr(i);
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 7: syntax
// error ..." without the parts that only repeat what our message says anyway.
std::string clean_json_message(std::string_view what) {
  if (what.substr(0, 16) == "[json.exception.") {
    const std::size_t close = what.find("] ");
    if (close != std::string_view::npos) what.remove_prefix(close + 2);
  }
  if (what.substr(0, 20) == "parse error at line ") {
    const std::size_t colon = what.find(": ");
    if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  return std::string(what);
}

// SAX handler building an ordered_json DOM (keys in document order) that stops
// at the first error or when nesting goes deeper than max_nesting. nlohmann's
// parser is iterative, so deep input cannot exhaust the stack.
class DomBuilder {
 public:
  DomBuilder(Json& root, std::size_t max_nesting) : root_(root), max_nesting_(max_nesting) {}

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return put(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return put(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t& /*text*/) { return put(Json(v)); }
  bool string(Json::string_t& v) { return put(Json(std::move(v))); }
  bool binary(Json::binary_t& v) { return put(Json::binary(std::move(v))); }
  bool start_object(std::size_t /*elements*/) { return open(Json::object()); }
  bool key(Json::string_t& k) {
    slot_ = &(*stack_.back())[k];
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*elements*/) { return open(Json::array()); }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const Json::exception& ex) {
    message_ = "invalid JSON: " + clean_json_message(ex.what());
    // `position` counts characters read, 1-based.
    offset_ = position > 0 ? position - 1 : 0;
    return false;
  }

  bool too_deep() const noexcept { return too_deep_; }
  const std::string& message() const noexcept { return message_; }
  std::size_t offset() const noexcept { return offset_; }

 private:
  Json* put(Json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    *slot_ = std::move(v);
    return slot_;
  }
  bool open(Json&& container) {
    if (stack_.size() >= max_nesting_) {
      too_deep_ = true;
      return false;
    }
    stack_.push_back(put(std::move(container)));
    return true;
  }

  Json& root_;
  std::size_t max_nesting_;
  std::vector<Json*> stack_;
  Json* slot_ = nullptr;
  bool too_deep_ = false;
  std::string message_;
  std::size_t offset_ = Error::kNoOffset;
};

// A literal key first ("process.command_line" in flattened ECS), then a dotted path.
const Json* find_field(const Json& record, const std::string& name) {
  auto it = record.find(name);
  if (it != record.end()) return &*it;
  if (name.find('.') == std::string::npos) return nullptr;
  const Json* cur = &record;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string part =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return nullptr;
    auto next = cur->find(part);
    if (next == cur->end()) return nullptr;
    cur = &*next;
    if (dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

std::string quoted_list(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 12;
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) {
    if (i > 0) s += ", ";
    s += names[i];
  }
  if (names.size() > kShown) s += ", ...";
  return s;
}

}  // namespace

Result<RecordFormat> parse_record_format(std::string_view name) {
  if (name == "auto") return RecordFormat::kAuto;
  if (name == "jsonl" || name == "json") return RecordFormat::kJsonl;
  if (name == "csv") return RecordFormat::kCsv;
  if (name == "tsv") return RecordFormat::kTsv;
  return make_error(ErrorCode::kUsage, "unknown record format '" + std::string(name) +
                                           "' (choose auto, jsonl, csv or tsv)");
}

struct FieldSelector::Impl {
  enum class CsvState { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  std::string field;
  RecordFormat format;
  std::size_t max_line;
  std::size_t max_nesting;

  bool seen_line = false;  // a non-empty line was seen (the BOM is gone)
  Json record = Json::object();
  std::string value;

  // CSV/TSV
  bool header_done = false;
  bool column_missing = false;  // the header lacks `field`: nothing more to do
  std::size_t field_index = 0;
  std::vector<std::string> columns;
  std::vector<std::string> extra_names;  // "_extra1", ... made unique against columns
  std::unordered_set<std::string> names;
  bool in_record = false;  // a quoted field continues on the next line
  CsvState state = CsvState::kFieldStart;
  std::vector<std::string> cells;
  std::string cell;
  std::size_t record_bytes = 0;

  Impl(std::string f, RecordFormat fmt, std::size_t ml, std::size_t mn)
      : field(std::move(f)), format(fmt), max_line(ml), max_nesting(mn) {}

  Result<Status> parse(std::string_view line) {
    if (!seen_line) {
      if (line.substr(0, kBom.size()) == kBom) line.remove_prefix(kBom.size());
      if (is_blank(line)) return Status::kEmpty;
      seen_line = true;
      if (format == RecordFormat::kAuto) {
        const std::string_view rest = skip_space(line);
        if (!rest.empty() && rest.front() == '{')
          format = RecordFormat::kJsonl;
        else if (line.find('\t') != std::string_view::npos &&
                 line.find(',') == std::string_view::npos)
          format = RecordFormat::kTsv;
        else
          format = RecordFormat::kCsv;
      }
    }
    if (format == RecordFormat::kJsonl) return parse_json(line);
    return parse_csv(line);
  }

  Result<Status> parse_json(std::string_view line) {
    if (is_blank(line)) return Status::kEmpty;
    if (line.size() > max_line)
      return make_error(ErrorCode::kLimitExceeded,
                        "JSON record longer than " + format_size(max_line));
    Json parsed;
    DomBuilder builder(parsed, max_nesting);
    bool ok = false;
    try {
      ok = Json::sax_parse(line.data(), line.data() + line.size(), &builder);
    } catch (const Json::exception& e) {
      return make_error(ErrorCode::kInvalidInput, "invalid JSON: " + clean_json_message(e.what()));
    }
    if (!ok) {
      if (builder.too_deep())
        return make_error(ErrorCode::kLimitExceeded,
                          "JSON nested deeper than " + std::to_string(max_nesting) + " levels");
      return make_error(ErrorCode::kInvalidInput, builder.message(), builder.offset());
    }
    if (!parsed.is_object())
      return make_error(ErrorCode::kInvalidInput,
                        std::string("JSON record is ") + parsed.type_name() + ", not an object");
    record = std::move(parsed);
    const Json* v = find_field(record, field);
    if (v == nullptr) return make_error(ErrorCode::kNotFound, "no field '" + field + "' in record");
    switch (v->type()) {
      case Json::value_t::string: value = v->get_ref<const std::string&>(); break;
      case Json::value_t::boolean:
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float: value = v->dump(); break;
      default:
        return make_error(ErrorCode::kInvalidInput, "field '" + field + "' is " + v->type_name() +
                                                        ", not a string, number or boolean");
    }
    return Status::kRecord;
  }

  void reset_csv_record() {
    in_record = false;
    state = CsvState::kFieldStart;
    cells.clear();
    cell.clear();
    record_bytes = 0;
  }

  void end_cell() {
    cells.push_back(std::move(cell));
    cell.clear();
  }

  // Runs the RFC 4180 state machine over one line; false while a quoted field is open.
  bool scan_csv(std::string_view line, char sep) {
    std::size_t i = 0;
    const std::size_t n = line.size();
    while (i < n) {
      switch (state) {
        case CsvState::kFieldStart:
          if (line[i] == '"') {
            state = CsvState::kQuoted;
            ++i;
          } else if (line[i] == sep) {
            end_cell();
            ++i;
          } else {
            state = CsvState::kUnquoted;
          }
          break;
        case CsvState::kUnquoted: {
          const std::size_t j = line.find(sep, i);
          if (j == std::string_view::npos) {
            cell.append(line.substr(i));
            i = n;
          } else {
            cell.append(line.substr(i, j - i));
            end_cell();
            state = CsvState::kFieldStart;
            i = j + 1;
          }
          break;
        }
        case CsvState::kQuoted: {
          const std::size_t j = line.find('"', i);
          if (j == std::string_view::npos) {
            cell.append(line.substr(i));
            i = n;
          } else {
            cell.append(line.substr(i, j - i));
            state = CsvState::kQuoteInQuoted;
            i = j + 1;
          }
          break;
        }
        case CsvState::kQuoteInQuoted:
          if (line[i] == '"') {  // a doubled quote
            cell += '"';
            state = CsvState::kQuoted;
            ++i;
          } else if (line[i] == sep) {
            end_cell();
            state = CsvState::kFieldStart;
            ++i;
          } else {  // text after a closing quote: kept, as most readers do
            state = CsvState::kUnquoted;
          }
          break;
      }
    }
    if (state == CsvState::kQuoted) return false;
    end_cell();
    state = CsvState::kFieldStart;
    return true;
  }

  std::string unique_name(std::string base) {
    if (names.insert(base).second) return base;
    for (std::size_t k = 2;; ++k) {
      std::string candidate = base + "_" + std::to_string(k);
      if (names.insert(candidate).second) return candidate;
    }
  }

  const std::string& extra_name(std::size_t k) {  // k: 0-based index past the header
    while (extra_names.size() <= k)
      extra_names.push_back(unique_name("_extra" + std::to_string(extra_names.size() + 1)));
    return extra_names[k];
  }

  Result<Status> parse_csv(std::string_view line) {
    if (column_missing) return Status::kEmpty;
    if (!in_record) {
      if (line.empty()) return Status::kEmpty;
      reset_csv_record();
    } else {
      cell += '\n';  // the line break inside the quoted field
      ++record_bytes;
    }
    record_bytes += line.size();
    if (record_bytes > max_line) {
      const bool multi_line = in_record;
      reset_csv_record();
      return make_error(ErrorCode::kLimitExceeded,
                        std::string(multi_line ? "unterminated quoted field? " : "") +
                            "CSV record longer than " + format_size(max_line));
    }
    const char sep = format == RecordFormat::kTsv ? '\t' : ',';
    if (!scan_csv(line, sep)) {
      in_record = true;
      return Status::kNeedMore;
    }
    in_record = false;
    if (!header_done) return take_header();
    Json row = Json::object();
    auto& obj = row.get_ref<Json::object_t&>();
    const std::size_t width = std::max(cells.size(), columns.size());
    obj.reserve(width);
    // Header names are unique, so entries can be appended without a lookup.
    for (std::size_t i = 0; i < width; ++i) {
      const std::string& key = i < columns.size() ? columns[i] : extra_name(i - columns.size());
      obj.emplace_back(key, Json(i < cells.size() ? std::move(cells[i]) : std::string()));
    }
    const Json& selected = (obj.begin() + static_cast<std::ptrdiff_t>(field_index))->second;
    value = selected.get_ref<const std::string&>();
    record = std::move(row);
    cells.clear();
    return Status::kRecord;
  }

  Result<Status> take_header() {
    header_done = true;
    columns.clear();
    names.clear();
    for (std::string& c : cells) columns.push_back(unique_name(std::move(c)));
    cells.clear();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == field) {
        field_index = i;
        return Status::kHeader;
      }
    }
    column_missing = true;
    return make_error(ErrorCode::kNotFound, "no column '" + field + "' in the header (columns: " +
                                                quoted_list(columns) + ")");
  }

  Result<Status> finish() {
    if (in_record) {
      reset_csv_record();
      return make_error(ErrorCode::kInvalidInput, "unterminated quoted field");
    }
    return Status::kEmpty;
  }
};

FieldSelector::FieldSelector(std::string field, RecordFormat format, std::size_t max_line,
                             std::size_t max_nesting)
    : impl_(std::make_unique<Impl>(std::move(field), format, max_line, max_nesting)) {}

FieldSelector::~FieldSelector() = default;

Result<FieldSelector::Status> FieldSelector::parse(std::string_view line) {
  return impl_->parse(line);
}

Result<FieldSelector::Status> FieldSelector::finish() {
  return impl_->finish();
}

bool FieldSelector::pending() const noexcept {
  return impl_->in_record;
}

std::string_view FieldSelector::value() const noexcept {
  return impl_->value;
}

nlohmann::ordered_json& FieldSelector::record() noexcept {
  return impl_->record;
}

const std::vector<std::string>& FieldSelector::columns() const noexcept {
  return impl_->columns;
}

RecordFormat FieldSelector::format() const noexcept {
  return impl_->format;
}

const std::string& FieldSelector::field() const noexcept {
  return impl_->field;
}

}  // namespace ioc::io
