// multiprocessing.Pipe: two Connection ends over a socketpair (duplex) or a
// pipe (one-way: end 0 receives, end 1 sends), as CPython does. Messages are
// length-prefixed copies. A Connection crosses exec as an inherited fd.
#pragma once
#include <optional>
#include <string>
#include <utility>

#include "engine/scenario/args.hpp"

namespace mpviz::rt {

class Connection {
 public:
  Connection() = default;
  explicit Connection(const Handle& h);
  operator Handle() const { return handle(); }
  Handle handle() const;

  void send(const std::string& item);
  std::string recv();  // throws std::runtime_error (EOFError) when the other end is closed
  // True if a message can be read now or within timeout (scenario seconds).
  bool poll(std::optional<double> timeout = 0.0);
  void close();
  int end() const { return end_; }
  const std::string& name() const { return name_; }

 private:
  friend std::pair<Connection, Connection> Pipe(bool duplex, const std::string& name);
  int fd_ = -1;
  int end_ = 0;
  bool readable_ = true, writable_ = true;
  std::string name_ = "pipe";
};

std::pair<Connection, Connection> Pipe(bool duplex = true, const std::string& name = "pipe");

}  // namespace mpviz::rt
