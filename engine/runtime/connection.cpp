#include "engine/runtime/connection.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

#include "engine/runtime/gate.hpp"
#include "engine/runtime/process_runtime.hpp"

namespace mpviz::rt {
namespace {

constexpr uint32_t kMaxMessage = 1 << 20;

void write_all(int fd, const void* data, size_t n) {
  auto* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::system_category(), "Connection.send");
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// Returns false on end of file before the first byte.
bool read_all(int fd, void* data, size_t n) {
  auto* p = static_cast<char*>(data);
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd, p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::system_category(), "Connection.recv");
    }
    if (r == 0) {
      if (got == 0) return false;
      throw std::runtime_error("EOFError: connection closed mid-message");
    }
    got += static_cast<size_t>(r);
  }
  return true;
}

// Handle layout: offset = end number and flags, fd0 = the descriptor; the
// object's name travels in `kind` after a colon ("connection:pipe").
constexpr uint64_t kReadable = 1 << 8, kWritable = 1 << 9;

}  // namespace

Connection::Connection(const Handle& h) {
  if (h.kind.rfind("connection", 0) != 0) throw std::invalid_argument("handle is not a connection");
  auto colon = h.kind.find(':');
  if (colon != std::string::npos) name_ = h.kind.substr(colon + 1);
  fd_ = h.fd0;
  end_ = static_cast<int>(h.offset & 0xff);
  readable_ = (h.offset & kReadable) != 0;
  writable_ = (h.offset & kWritable) != 0;
}

Handle Connection::handle() const {
  uint64_t off = static_cast<uint64_t>(end_) | (readable_ ? kReadable : 0) |
                 (writable_ ? kWritable : 0);
  return Handle{"connection:" + name_, off, fd_, -1};
}

std::pair<Connection, Connection> Pipe(bool duplex, const std::string& name) {
  int fds[2];
  Connection a, b;
  a.name_ = b.name_ = name;
  a.end_ = 0;
  b.end_ = 1;
  if (duplex) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      throw std::system_error(errno, std::system_category(), "socketpair");
  } else {
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::system_category(), "pipe");
    a.writable_ = false;  // Pipe(duplex=False) returns (reader, writer)
    b.readable_ = false;
  }
  a.fd_ = fds[0];
  b.fd_ = fds[1];
  return {a, b};
}

void Connection::send(const std::string& item) {
  if (!writable_) throw std::runtime_error("OSError: connection is read-only");
  if (item.size() > kMaxMessage) throw std::length_error("message too long");
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::pipe_send, name_);
  // Stamped before the bytes leave, so a receive is always after its send.
  Event e = rt.event(EventKind::pipe_send);
  e.name = name_;
  e.other = end_;
  e.text = item;
  rt.emit(std::move(e));
  uint32_t len = static_cast<uint32_t>(item.size());
  std::string msg(reinterpret_cast<const char*>(&len), 4);
  msg += item;
  rt.flush();  // a full socket can block the write
  write_all(fd_, msg.data(), msg.size());
}

std::string Connection::recv() {
  if (!readable_) throw std::runtime_error("OSError: connection is write-only");
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::pipe_recv, name_);
  Event w = rt.event(EventKind::pipe_recv_wait);
  w.name = name_;
  w.other = end_;
  rt.emit(std::move(w));
  pollfd ready{fd_, POLLIN, 0};
  if (::poll(&ready, 1, 0) <= 0) rt.flush();  // about to block in read()
  uint32_t len = 0;
  if (!read_all(fd_, &len, 4)) throw std::runtime_error("EOFError");
  if (len > kMaxMessage) throw std::runtime_error("corrupt message length");
  std::string item(len, '\0');
  if (len > 0 && !read_all(fd_, item.data(), len)) throw std::runtime_error("EOFError");
  Event e = rt.event(EventKind::pipe_recv);
  e.name = name_;
  e.other = end_;
  e.text = item;
  rt.emit(std::move(e));
  return item;
}

bool Connection::poll(std::optional<double> timeout) {
  auto& rt = ProcessRuntime::current();
  int ms = -1;
  if (timeout) ms = static_cast<int>(rt.scaled_ns(*timeout) / 1'000'000);
  pollfd p{fd_, POLLIN, 0};
  int r;
  do {
    r = ::poll(&p, 1, ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

void Connection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace mpviz::rt
