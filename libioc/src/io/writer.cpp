// One output record per line: text, JSON lines, CSV or TSV.
#include "ioc/io/writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace ioc::io {
namespace {

using Json = nlohmann::ordered_json;

std::string to_json(const Json& value) {
  // Ill-formed UTF-8 becomes U+FFFD, so the output always parses.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Result<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "tsv") return OutputFormat::kTsv;
  return make_error(ErrorCode::kUsage, "unknown output format '" + std::string(name) +
                                           "' (choose text, jsonl, csv or tsv)");
}

std::string_view output_format_name(OutputFormat format) noexcept {
  switch (format) {
    case OutputFormat::kText: return "text";
    case OutputFormat::kJsonl: return "jsonl";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kTsv: return "tsv";
  }
  return "text";
}

void append_csv_cell(std::string& out, std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(cell);
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_tsv_cell(std::string& out, std::string_view cell) {
  for (char c : cell) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default: out += c; break;
    }
  }
}

RecordWriter::RecordWriter(Output& out, OutputFormat format, std::vector<std::string> columns,
                           std::string text_key, char terminator)
    : out_(out),
      format_(format),
      columns_(std::move(columns)),
      text_key_(std::move(text_key)),
      terminator_(terminator) {}

void RecordWriter::write(const Json& record) {
  switch (format_) {
    case OutputFormat::kText: {
      const Json* value = &record;
      if (record.is_object()) {
        auto it = record.find(text_key_);
        value = it == record.end() ? nullptr : &*it;
      }
      scratch_.clear();
      if (value != nullptr) {
        if (value->is_string())
          scratch_ = value->get_ref<const std::string&>();
        else
          scratch_ = to_json(*value);
      }
      if (out_.is_tty())
        out_.write(escape_for_terminal(scratch_));
      else
        out_.write(scratch_);
      out_.end_record(terminator_);
      return;
    }
    case OutputFormat::kJsonl:
      out_.write(to_json(record));
      out_.end_record(terminator_);
      return;
    case OutputFormat::kCsv:
    case OutputFormat::kTsv: break;
  }

  if (!header_written_) {
    if (columns_.empty()) {
      if (record.is_object()) {
        for (const auto& item : record.items()) columns_.push_back(item.key());
      } else {
        columns_.push_back(text_key_);
      }
    }
    write_header();
  }
  scratch_.clear();
  const char sep = format_ == OutputFormat::kCsv ? ',' : '\t';
  static const Json kNull;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) scratch_ += sep;
    const Json* value = &kNull;
    if (record.is_object()) {
      auto it = record.find(columns_[i]);
      if (it != record.end()) value = &*it;
    } else if (columns_[i] == text_key_) {
      value = &record;
    }
    write_cell(*value);
  }
  if (record.is_object()) {
    for (const auto& item : record.items()) {
      const std::string& key = item.key();
      if (std::find(columns_.begin(), columns_.end(), key) == columns_.end() &&
          std::find(dropped_.begin(), dropped_.end(), key) == dropped_.end())
        dropped_.push_back(key);
    }
  }
  if (out_.is_tty())
    out_.write(escape_for_terminal(scratch_));
  else
    out_.write(scratch_);
  out_.end_record(terminator_);
}

void RecordWriter::write_header() {
  header_written_ = true;
  scratch_.clear();
  const char sep = format_ == OutputFormat::kCsv ? ',' : '\t';
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) scratch_ += sep;
    if (format_ == OutputFormat::kCsv)
      append_csv_cell(scratch_, columns_[i]);
    else
      append_tsv_cell(scratch_, columns_[i]);
  }
  if (out_.is_tty())
    out_.write(escape_for_terminal(scratch_));
  else
    out_.write(scratch_);
  out_.end_record(terminator_);
}

void RecordWriter::write_cell(const Json& value) {
  std::string text;
  std::string_view cell;
  switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded: return;
    case Json::value_t::string: cell = value.get_ref<const std::string&>(); break;
    case Json::value_t::boolean: cell = value.get<bool>() ? "true" : "false"; break;
    default:  // numbers, arrays, objects, binary
      text = to_json(value);
      cell = text;
      break;
  }
  if (format_ == OutputFormat::kCsv)
    append_csv_cell(scratch_, cell);
  else
    append_tsv_cell(scratch_, cell);
}

}  // namespace ioc::io
