// Where turn records go: straight to the output in input order, or, with
// --sample N and --per-instance K, into bottom samples by rank that are
// written at the end in order of rank. Counts what each rule left out, for
// the summary line and --stats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include "prefline/io/output.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/turns/sampling.hpp"
#include "prefline/turns/settings.hpp"
#include "prefline/turns/turn_record.hpp"

namespace prefline::turns {

struct Counts {
  std::uint64_t trajectories = 0, excluded = 0, not_included = 0, turns = 0, not_selected = 0, short_history = 0,
                rate = 0, skip_if = 0, duplicate_history = 0, too_long = 0, per_instance = 0, sample = 0,
                written = 0, trimmed = 0, joined = 0, join_missing = 0;
};

// --stats: the counts as one JSON object, in the order the help lists them.
inline void write_stats(Buffer& out, const Counts& c) {
  JsonWriter json(out);
  json.begin_object();
  const std::pair<std::string_view, std::uint64_t> fields[] = {
      {"trajectories", c.trajectories}, {"excluded", c.excluded}, {"not_included", c.not_included},
      {"turns", c.turns}, {"not_selected", c.not_selected}, {"short_history", c.short_history},
      {"rate", c.rate}, {"skip_if", c.skip_if}, {"duplicate_history", c.duplicate_history},
      {"too_long", c.too_long}, {"per_instance", c.per_instance}, {"sample", c.sample},
      {"written", c.written}, {"trimmed", c.trimmed}, {"joined", c.joined}, {"join_missing", c.join_missing}};
  for (const auto& [name, value] : fields) json.key(name).integer(static_cast<std::int64_t>(value));
  json.end_object();
  json.end_record();
}

// What a written turn adds to the counts besides itself.
struct TurnMarks {
  bool trimmed = false;
  int joined = 0;  // 1 joined, -1 without a side record, 0 no --join
};

// The records of a sample are fresh memory, hundreds of MB, first touched by
// the copy that fills them: in 4 KiB pages that is one page fault per 4 KiB,
// a third of the time of a --sample run. The heap is grown 64 MiB at a time
// (malloc's top pad) and each new stretch is advised to the kernel as huge-page
// memory before it is touched, so it faults in 2 MiB at a time (transparent
// huge pages in "madvise" mode, Debian's default; elsewhere the advice is a no-op).
class HugePageHeap {
 public:
  static constexpr std::size_t top_pad = std::size_t{64} << 20;

  HugePageHeap() {
    mallopt(M_TOP_PAD, static_cast<int>(top_pad));
    // Records above malloc's mmap threshold would each be a mapping of their own, in 4 KiB pages.
    mallopt(M_MMAP_THRESHOLD, static_cast<int>(top_pad / 2));
    // Records leave the sample as others enter: memory freed at the top of the heap is kept for
    // them rather than given back and faulted in (and zeroed) again. The peak stays the same.
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(top_pad * 4));
    advised_ = page_end(sbrk(0));
  }

  // Advises what the heap grew by since the last call.
  void advise() {
    const std::uintptr_t end = page_end(sbrk(0));
    if (end <= advised_) return;
    madvise(reinterpret_cast<void*>(advised_), end - advised_, MADV_HUGEPAGE);
    advised_ = end;
  }

 private:
  static std::uintptr_t page_end(void* brk) {
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    return (reinterpret_cast<std::uintptr_t>(brk) + page - 1) / page * page;
  }
  std::uintptr_t advised_ = 0;
};

class TurnSink {
 public:
  // Admissions to the per-instance samples between two sweeps of records that can no longer be
  // chosen, beyond twice the sample: sweeps cost a pass over every instance.
  static constexpr std::uint64_t sweep_slack = 4096;

  TurnSink(const Settings& settings, bool dedup_prefix, Output& out, Counts& counts)
      : settings_(settings),
        dedup_prefix_(dedup_prefix),
        out_(out),
        counts_(counts),
        sample_(settings.sample > 0 ? settings.sample : SIZE_MAX, dedup_prefix),
        rank_bound_(settings.sample) {}

  // A turn of instance `id` and rank `rank` passed every rule: whether its
  // record is wanted (put() must follow). A record is not wanted when its rank
  // rules it out of the samples already.
  bool offer(std::string_view id, std::uint64_t rank) {
    if (!settings_.sampled()) return true;
    ++eligible_;
    bottom_ = &sample_;
    if (settings_.per_instance > 0) {
      bottom_ = &per_instance_.try_emplace(std::string(id), settings_.per_instance, dedup_prefix_).first->second;
    }
    if (!bottom_->may_take(rank)) return false;
    // In an instance's bottom K, but above the N-th lowest of all such ranks: never chosen, yet
    // it holds its place in the instance's bottom K.
    if (settings_.per_instance > 0 && settings_.sample > 0 && rank > rank_bound_.bound()) {
      add_to_instance(rank, 0, Held{});
      return false;
    }
    return true;
  }

  // The record of the turn offered last, with its source's place in it.
  void put(std::uint64_t rank, std::string_view record, SourceSpan source, TurnMarks marks) {
    if (!settings_.sampled()) {
      out_.buffer().append(record);
      count_written(marks);
      out_.maybe_flush();
      return;
    }
    // Equal ranks are equal keys: ordered by the record without its source (which names the
    // file and line, and so differs between one file and shards).
    heap_.advise();
    Held held{std::string(record), marks};
    const std::uint64_t tie = tie_hash(record, source);
    if (settings_.per_instance > 0) add_to_instance(rank, tie, std::move(held));
    else sample_.add(rank, tie, std::move(held));
  }

  // Writes the sample (in order of rank) and counts what the samples left out.
  void finish() {
    if (!settings_.sampled()) return;
    std::uint64_t held = eligible_;
    if (settings_.per_instance > 0) {
      held = 0;
      for (auto& [instance, bottom] : per_instance_) {
        held += bottom.entries().size();
        while (!bottom.entries().empty()) {
          auto node = bottom.entries().extract(bottom.entries().begin());
          sample_.add(node.value().rank, node.value().tie, std::move(node.value().payload));
        }
      }
      per_instance_.clear();
      counts_.per_instance = eligible_ - held;
    }
    counts_.sample = held - sample_.entries().size();
    for (const auto& entry : sample_.entries()) {
      out_.buffer().append(entry.payload.record);
      count_written(entry.payload.marks);
      out_.maybe_flush();
    }
  }

 private:
  // A turn record waiting in a sample. Empty when its rank rules it out of
  // the final sample (--per-instance with --sample).
  struct Held {
    std::string record;
    TurnMarks marks;
  };

  void count_written(const TurnMarks& marks) {
    ++counts_.written;
    counts_.trimmed += marks.trimmed;
    counts_.joined += marks.joined > 0;
    counts_.join_missing += marks.joined < 0;
  }

  // --per-instance K with --sample N: the ranks of every instance's bottom K, whose N-th lowest
  // bounds the ranks that can still be chosen; records above it are dropped (swept now and then),
  // so memory holds about the sample, not K records of every instance.
  void add_to_instance(std::uint64_t rank, std::uint64_t tie, Held held) {
    BottomSample<Held>& bottom = *bottom_;
    const std::size_t before = bottom.entries().size();
    std::optional<std::uint64_t> left;
    if (!bottom.add(rank, tie, std::move(held), &left) || settings_.sample == 0) return;
    if (left) rank_bound_.erase(*left);
    if (left || bottom.entries().size() > before) rank_bound_.insert(rank);
    if (++since_sweep_ < 2 * settings_.sample + sweep_slack) return;
    since_sweep_ = 0;
    const std::uint64_t bound = rank_bound_.bound();
    for (auto& [instance, kept] : per_instance_)
      for (const auto& entry : kept.entries())
        if (entry.rank > bound && !entry.payload.record.empty()) std::string().swap(entry.payload.record);
  }

  HugePageHeap heap_;
  const Settings& settings_;
  bool dedup_prefix_;
  Output& out_;
  Counts& counts_;
  BottomSample<Held> sample_;
  std::unordered_map<std::string, BottomSample<Held>> per_instance_;
  BottomSample<Held>* bottom_ = nullptr;  // the sample of the turn offered last
  RankBound rank_bound_;
  std::uint64_t since_sweep_ = 0;
  std::uint64_t eligible_ = 0;  // turns that reached the sampling of --per-instance / --sample
};

}  // namespace prefline::turns
