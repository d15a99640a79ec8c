// The output files of one tool run (the -o file and side files such as
// the --stats files, --rejects), published all or none: commit()
// writes every one of them to the end before it renames any, so a full disk
// or a bad path on whichever file leaves no file of the set behind.
//
//   OutputSet outputs;
//   Output& out = outputs.add(options.output);
//   Output& side = outputs.add(options.summary);
//   ... write ...
//   outputs.commit();
#pragma once

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "prefline/io/output.hpp"

namespace prefline {

class OutputSet {
 public:
  OutputSet() = default;
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  // Not committed (an error path): every file of the set is dropped.
  ~OutputSet() { discard(); }

  // Opens `path` (see Output::open; "-" is standard output) as one more
  // output of the set. The reference stays valid as long as the set.
  Output& add(const std::string& path) {
    outputs_.push_back(std::make_unique<Output>());
    outputs_.back()->open(path);
    return *outputs_.back();
  }

  std::size_t size() const { return outputs_.size(); }

  // Finishes writing every output, in the order they were added (a write
  // error throws here, before anything is published), then renames them
  // into place, with SIGINT/SIGTERM/SIGHUP held back meanwhile (a signal
  // then finds the whole set published). A rename that fails (rare: the
  // folder changed meanwhile) removes the files the set has already
  // renamed, so none is left.
  void commit() {
    finish_writing();
    detail::CleanupSignalsBlocked blocked;
    std::vector<std::string> published;
    try {
      for_each([&](Output& output) {
        const std::string target = output.target_file();
        output.commit();
        if (!target.empty()) published.push_back(target);
      });
    } catch (...) {
      for (const auto& path : published) ::unlink(path.c_str());
      throw;
    }
  }

  // The first half of commit(), for a tool that publishes something else
  // (an OutputFolder) between the two: every file written to the end, none
  // published yet.
  void finish_writing() {
    for_each([](Output& output) { output.finish_writing(); });
  }

  // Drops every output not yet committed.
  void discard() {
    for_each([](Output& output) { output.discard(); });
  }

 private:
  template <class Each>
  void for_each(Each&& each) {
    for (auto& output : outputs_) each(*output);
  }

  std::vector<std::unique_ptr<Output>> outputs_;  // in the order they were added
};

}  // namespace prefline
