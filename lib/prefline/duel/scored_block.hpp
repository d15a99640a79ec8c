// A block of records whose verdicts are already on them, scored by a worker
// and waiting to be written in input order: its output is pieces of the
// block itself (each record up to its closing brace, not copied) and of a
// buffer (each turn's "duel" member), its bad records are noted with their
// place, and its judges are numbered per block until the writer maps them
// to the run's numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/uio.h>

#include <simdjson.h>

#include "prefline/duel/judge_registry.hpp"
#include "prefline/duel/totals.hpp"
#include "prefline/duel/turn_reader.hpp"
#include "prefline/duel/turn_writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/line_blocks.hpp"
#include "prefline/json/splice.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::duel {

struct ScoredBlock {
  struct Bad {
    std::size_t piece;   // the output pieces before the record
    std::uint64_t line;  // in the block, from 1
    std::string_view text;
    std::string reason;
  };
  struct Piece {
    const char* block_bytes;   // null: in output
    std::size_t offset, size;  // offset: in output (which may still move)
  };
  LineBlock lines;
  std::uint64_t line_count = 0;  // physical lines, blank ones included
  std::uint64_t records = 0;     // the non-blank ones
  Buffer output;
  std::vector<Piece> pieces;
  std::vector<Bad> bad;
  Tallies tallies;
  JudgeRegistry judges;
  std::vector<std::string> judge_names;  // by the block's number

  // Reads and scores every record (on a worker thread; `writer` is that
  // worker's). A record that has no verdicts is bad.
  void score(const TurnFields& fields, TurnWriter& writer) {
    thread_local simdjson::dom::parser parser;
    thread_local simdjson::ondemand::parser overwrite_parser;
    thread_local std::vector<std::string_view> names;
    thread_local std::vector<Vote> votes;
    thread_local std::vector<std::uint8_t> values;
    thread_local std::vector<std::string> fresh;
    thread_local JudgeTexts texts;
    thread_local std::string stripped;
    texts.clear();
    line_count = lines.for_each_line([&](const JsonlLine& line) {
      if (is_blank_line(line.text)) return;
      ++records;
      votes.clear();
      values.clear();
      VoteSink sink{judges, votes, values, names};
      TurnRead turn = read_turn(parser, line.text, fields, sink);
      if (!turn.reason.empty()) {
        bad.push_back({pieces.size(), line.number, line.text, std::move(turn.reason)});
        return;
      }
      judges.take_fresh(fresh);
      for (auto& name : fresh) {
        texts.add(name);
        judge_names.push_back(std::move(name));
      }
      fresh.clear();
      const auto head = record_head(overwrite_parser, line, schema::duel::duel, turn.has_duel, stripped);
      // A record with its old "duel" cut out is a copy: it goes to the output.
      const bool in_block = !turn.has_duel;
      if (in_block) pieces.push_back({head.text.data(), 0, head.text.size()});
      const std::size_t begin = output.size();
      const auto& score = writer.write(output, in_block ? std::string_view() : head.text, head.now_empty, votes.data(),
                                       votes.size(), values.data(), 0, texts);
      add_output_piece(begin);
      tallies.add(score, writer.turn_judges(), fields.metrics->size());
    });
  }

  // The output as iovecs (pointers into the block and the buffer), for a
  // vectored write.
  void pieces_as_iovecs(std::vector<iovec>& out) const {
    out.clear();
    for (const auto& piece : pieces)
      out.push_back({const_cast<char*>(piece.block_bytes ? piece.block_bytes : output.data() + piece.offset), piece.size});
  }

  void clear() {
    lines.clear();
    line_count = records = 0;
    output.clear();
    pieces.clear();
    bad.clear();
    tallies.clear();
    judges = JudgeRegistry();
    judge_names.clear();
  }

 private:
  // output[begin, output.size()) is the next piece.
  void add_output_piece(std::size_t begin) {
    if (!pieces.empty() && pieces.back().block_bytes == nullptr && pieces.back().offset + pieces.back().size == begin)
      pieces.back().size = output.size() - pieces.back().offset;
    else
      pieces.push_back({nullptr, begin, output.size() - begin});
  }
};

}  // namespace prefline::duel
