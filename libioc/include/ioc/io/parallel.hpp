// ioc/io/parallel.hpp — records processed by worker threads, results in input order.
//
//   io::parallel_records<Report>(input, diag, {.jobs = 4},
//       [&](io::OwnedRecord& r, Report& rep) { rep = analyse(r.text); },  // on a worker thread
//       [&](io::OwnedRecord& r, Report& rep) { write(rep); return true; });  // in order
//
// The calling thread reads the inputs (io::for_each_record: same sources,
// counts and messages) and copies each record into a batch; `jobs` worker
// threads run `work` on whole batches; the calling thread hands every result to
// `emit` in exactly the input order, so output and per-record messages read as
// with one thread. `emit` returning false (a closed pipe) stops reading.
// Memory is bounded: at most 2 × jobs batches are in flight, each of at most
// batch_records records or batch_bytes bytes of text. Emitted batches are
// reused, records and results in place (`work` gets last time's result object
// to fill: it must reset what it does not overwrite), so that the records of a
// large input cost no allocation each; a reused record keeps a buffer of at
// most kKeepRecordBuffer bytes.
// With jobs <= 1 everything runs on the calling thread, with no copies kept
// beyond the current record.
//
// `work` must only touch its record and thread-safe state; `emit` runs on the
// calling thread and may use Diagnostics, Output and writers freely.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ioc/io/records.hpp"

namespace ioc::io {

/// A record that outlives the reader's buffer.
struct OwnedRecord {
  std::string source_name;
  std::uint64_t line = 0;
  std::uint64_t offset = 0;
  std::string text;
  std::optional<nlohmann::ordered_json> fields;  ///< with --field
  RecordKind kind = RecordKind::kText;
  std::uint64_t lines = 1;  ///< kLines: how many lines `text` holds
  bool pause = false;       ///< Record::pause

  Source source() const { return Source{source_name, line, offset}; }
};

struct ParallelOptions {
  unsigned jobs = 1;
  std::size_t batch_records = 64;
  std::size_t batch_bytes = 1 << 20;
};

/// The number of worker threads to use when the user did not say: the
/// machine's hardware threads, at most 8.
unsigned default_jobs() noexcept;

/// Record buffers larger than this are freed when a batch is recycled.
inline constexpr std::size_t kKeepRecordBuffer = 64 * 1024;

/// parallel_records with `work` given each batch whole (records and their
/// results, as many of each): for work that gains from seeing many records at
/// once (iocgrep scans a batch's lines as one text). With jobs <= 1 the batches
/// hold one record.
template <typename Result>
bool parallel_batches(const InputOptions& input, Diagnostics& diag, const ParallelOptions& opt,
                      const std::function<void(std::span<OwnedRecord>, std::span<Result>)>& work,
                      const std::function<bool(OwnedRecord&, Result&)>& emit) {
  // Copies r into o, reusing o's buffers (batches are recycled: after the first
  // few, no record costs an allocation unless it is longer than before).
  auto own = [](Record& r, OwnedRecord& o) {
    o.source_name.assign(r.source.name);
    o.line = r.source.line;
    o.offset = r.source.offset;
    o.text.assign(r.text);
    if (r.fields != nullptr)
      o.fields = std::move(*r.fields);
    else
      o.fields.reset();
    o.kind = r.kind;
    o.lines = r.lines;
    o.pause = r.pause;
  };
  if (opt.jobs <= 1) {
    OwnedRecord o;
    Result res{};
    return for_each_record(input, diag, [&](Record& r) {
      own(r, o);
      work(std::span<OwnedRecord>(&o, 1), std::span<Result>(&res, 1));
      return emit(o, res);
    });
  }

  // records[0, used) and their results; the vectors keep their elements (and
  // the elements their buffers) when a batch is reused.
  struct Batch {
    std::vector<OwnedRecord> records;
    std::vector<Result> results;
    std::size_t used = 0;
    std::size_t bytes = 0;
    bool done = false;
  };
  std::mutex mu;
  std::condition_variable to_workers, to_main;
  std::deque<std::shared_ptr<Batch>> pending;   // waiting for a worker
  std::deque<std::shared_ptr<Batch>> in_order;  // every batch not yet emitted, input order
  std::vector<std::shared_ptr<Batch>> spare;    // emitted, for reuse (calling thread only)
  bool closing = false;

  std::vector<std::thread> workers;
  for (unsigned i = 0; i < opt.jobs; ++i) {
    workers.emplace_back([&] {
      for (;;) {
        std::shared_ptr<Batch> b;
        {
          std::unique_lock<std::mutex> lock(mu);
          to_workers.wait(lock, [&] { return closing || !pending.empty(); });
          if (pending.empty()) return;
          b = std::move(pending.front());
          pending.pop_front();
        }
        if (b->results.size() < b->used) b->results.resize(b->used);
        work(std::span<OwnedRecord>(b->records.data(), b->used),
             std::span<Result>(b->results.data(), b->used));
        {
          std::lock_guard<std::mutex> lock(mu);
          b->done = true;
        }
        to_main.notify_one();
      }
    });
  }

  bool keep_going = true;
  // Emits finished batches at the front; with `wait`, blocks until the front one is.
  auto drain = [&](bool wait) {
    for (;;) {
      std::shared_ptr<Batch> b;
      {
        std::unique_lock<std::mutex> lock(mu);
        if (in_order.empty()) return;
        if (wait) to_main.wait(lock, [&] { return in_order.front()->done; });
        if (!in_order.front()->done) return;
        b = std::move(in_order.front());
        in_order.pop_front();
      }
      for (std::size_t k = 0; k < b->used && keep_going; ++k)
        keep_going = emit(b->records[k], b->results[k]);
      if (!keep_going) return;
      // A slot that held a long record gives its buffer back, so that reuse
      // keeps memory near batch_bytes per batch.
      for (std::size_t k = 0; k < b->used; ++k)
        if (b->records[k].text.capacity() > kKeepRecordBuffer)
          std::string().swap(b->records[k].text);
      spare.push_back(std::move(b));
      wait = false;
    }
  };

  auto fresh = [&] {
    if (spare.empty()) return std::make_shared<Batch>();
    auto b = std::move(spare.back());
    spare.pop_back();
    b->used = 0;
    b->bytes = 0;
    b->done = false;
    return b;
  };
  // Emits every batch submitted, waiting for the workers.
  auto drain_all = [&] {
    while (keep_going) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (in_order.empty()) return;
      }
      drain(true);
    }
  };
  auto current = fresh();
  auto submit = [&] {
    if (current->used == 0) return;
    {
      std::lock_guard<std::mutex> lock(mu);
      pending.push_back(current);
      in_order.push_back(current);
    }
    to_workers.notify_one();
    drain(false);
    // Bound the batches in flight: wait for the oldest before reading more.
    while (keep_going) {
      std::size_t n;
      {
        std::lock_guard<std::mutex> lock(mu);
        n = in_order.size();
      }
      if (n < 2 * opt.jobs) break;
      drain(true);
    }
    current = fresh();
  };

  for_each_record(input, diag, [&](Record& r) {
    current->bytes += r.text.size();
    if (current->used == current->records.size()) current->records.emplace_back();
    own(r, current->records[current->used++]);
    if (current->used >= opt.batch_records || current->bytes >= opt.batch_bytes || r.pause)
      submit();
    // The input waits (a followed log): every record read so far is emitted
    // now, not when later input fills a batch.
    if (r.pause) drain_all();
    return keep_going;
  });
  if (keep_going) submit();
  drain_all();
  {
    std::lock_guard<std::mutex> lock(mu);
    closing = true;
    pending.clear();
  }
  to_workers.notify_all();
  for (auto& t : workers) t.join();
  return keep_going;
}

template <typename Result>
bool parallel_records(const InputOptions& input, Diagnostics& diag, const ParallelOptions& opt,
                      const std::function<void(OwnedRecord&, Result&)>& work,
                      const std::function<bool(OwnedRecord&, Result&)>& emit) {
  const std::function<void(std::span<OwnedRecord>, std::span<Result>)> each =
      [&](std::span<OwnedRecord> records, std::span<Result> results) {
        for (std::size_t k = 0; k < records.size(); ++k) work(records[k], results[k]);
      };
  return parallel_batches<Result>(input, diag, opt, each, emit);
}

}  // namespace ioc::io
