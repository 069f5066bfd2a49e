#include "ioc/recipe/run.hpp"

#include <nlohmann/json.hpp>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/charset.hpp"

namespace ioc::recipe {

Result<std::string> run_recipe(const Recipe& recipe, std::string_view input, OpContext& ctx) {
  std::string data(input);
  std::size_t index = 0;
  for (const Step& step : recipe.steps) {
    ++index;
    const std::string where =
        "step " + std::to_string(index) + " (" + std::string(step.op->name) + "): ";
    const std::size_t warnings_before = ctx.warnings.size();
    auto out = step.op->run(data, step.args, ctx);
    for (std::size_t w = warnings_before; w < ctx.warnings.size(); ++w)
      ctx.warnings[w] = where + ctx.warnings[w];
    if (!out) {
      Error e = std::move(out).error();
      e.message = where + e.message;
      return e;
    }
    if (out->size() > ctx.limits.max_output) {
      return make_error(
          ErrorCode::kLimitExceeded,
          where + "output exceeds " + format_size(ctx.limits.max_output) + " (--max-output)");
    }
    data = std::move(*out);
  }
  return data;
}

bool run_recipe_on_records(const Recipe& recipe, const io::InputOptions& input,
                           const RecordRunOptions& options, io::RecordWriter& writer,
                           io::Output& out, io::Diagnostics& diag) {
  using nlohmann::ordered_json;
  const std::string output_key =
      !options.output_key.empty() ? options.output_key : input.field + "_decoded";
  const std::string error_key = input.field + "_error";
  const bool text = writer.format() == io::OutputFormat::kText;
  OpContext ctx;
  ctx.limits = options.limits;
  ordered_json rec;

  return io::for_each_record(input, diag, [&](io::Record& record) {
    ctx.warnings.clear();
    auto result = run_recipe(recipe, record.text, ctx);
    for (const std::string& w : ctx.warnings) diag.warning(record.source, w);
    if (!result) {
      diag.record_error(record.source, result.error().describe());
      if (record.fields != nullptr && !text) {
        (*record.fields)[error_key] = result.error().describe();
        writer.write(*record.fields);
      }
      return !out.broken_pipe();
    }
    diag.count_ok();
    if (text) {
      rec = ordered_json::object();
      rec["output"] = std::move(*result);
      writer.write(rec);
      return !out.broken_pipe();
    }
    const bool utf8 = codec::is_valid_utf8(*result);
    if (record.fields != nullptr) {
      ordered_json& fields = *record.fields;
      if (utf8)
        fields[output_key] = std::move(*result);
      else
        fields[output_key + "_base64"] = codec::encode_base64(*result);
      if (!ctx.warnings.empty()) fields[input.field + "_warnings"] = ctx.warnings;
      writer.write(fields);
      return !out.broken_pipe();
    }
    rec = ordered_json::object();
    rec["source"] = record.source.to_string();
    if (utf8)
      rec["output"] = std::move(*result);
    else
      rec["output_base64"] = codec::encode_base64(*result);
    if (!ctx.warnings.empty()) rec["warnings"] = ctx.warnings;
    writer.write(rec);
    return !out.broken_pipe();
  });
}

}  // namespace ioc::recipe
