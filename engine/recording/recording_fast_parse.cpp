#include "engine/recording/recording_fast_parse.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "engine/recording/json_write.hpp"
#include "engine/recording/recording_shape.hpp"

namespace mpviz {
namespace {

using recording_detail::Shape;
using recording_detail::shape_of;

// The fast path of the loader: one event line of the flat format our writer
// produces (an object of strings, numbers, true/false/null), parsed without a
// JSON tree. It only ACCEPTS: any line it does not fully understand (nested
// values, \u escapes, long numbers, duplicate keys, a missing or mistyped
// field, an unknown kind...) returns false and goes through the nlohmann path
// below, which decides between success and the exact error message. What it
// accepts, nlohmann accepts with the same Event (the fuzzer checks both).
enum Key : uint8_t {
  k_t_ns, k_pid, k_kind, k_ppid, k_name, k_daemon, k_method, k_code, k_signal, k_by,
  k_target, k_timeout_s, k_timed_out, k_seconds, k_text, k_obj, k_value, k_item, k_size,
  k_maxsize, k_end, k_task, k_func, k_result, k_status, k_dropped_frames, k_line, k_limit, k_stream, k_op, k_count,
  k_other = 255
};

Key key_of(std::string_view k) {
  static constexpr std::string_view names[k_count] = {
      "t_ns", "pid", "kind", "ppid", "name", "daemon", "method", "code", "signal", "by",
      "target", "timeout_s", "timed_out", "seconds", "text", "obj", "value", "item", "size",
      "maxsize", "end", "task", "func", "result", "status", "dropped_frames", "line", "limit", "stream", "op"};
  for (int i = 0; i < k_count; ++i)
    if (names[i] == k) return static_cast<Key>(i);
  return k_other;
}

enum class T : uint8_t { Int, Float, Str, True, False, Null };

struct Val {
  T t = T::Null;
  int64_t i = 0;
  double d = 0;
  std::string_view s;  // into the line, or into buf when the string had escapes
  std::string buf;
};

struct Parser {
  std::string_view in;
  size_t p = 0;
  Val vals[k_count];
  uint32_t seen = 0;

  void ws() {
    while (p < in.size() && (in[p] == ' ' || in[p] == '\t' || in[p] == '\r' || in[p] == '\n')) ++p;
  }
  bool lit(std::string_view w) {
    if (in.substr(p, w.size()) != w) return false;
    p += w.size();
    return true;
  }
  // After the opening quote. Escapes other than \uXXXX are decoded into buf.
  bool string(std::string_view& out, std::string* buf) {
    size_t start = p;
    bool escaped = false;
    while (true) {
      if (p >= in.size()) return false;
      unsigned char c = static_cast<unsigned char>(in[p]);
      if (c == '"') break;
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!buf || p + 1 >= in.size()) return false;
        char x = in[p + 1];
        if (x != '"' && x != '\\' && x != '/' && x != 'b' && x != 'f' && x != 'n' && x != 'r' && x != 't')
          return false;
        escaped = true;
        p += 2;
        continue;
      }
      if (c >= 0x80) {
        size_t len = jsonw::utf8_seq_len(in, p);
        if (len == 0) return false;
        p += len;
        continue;
      }
      ++p;
    }
    std::string_view raw = in.substr(start, p - start);
    ++p;  // closing quote
    if (!escaped) {
      out = raw;
      return true;
    }
    buf->clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        *buf += raw[i];
        continue;
      }
      switch (raw[++i]) {
        case 'b': *buf += '\b'; break;
        case 'f': *buf += '\f'; break;
        case 'n': *buf += '\n'; break;
        case 'r': *buf += '\r'; break;
        case 't': *buf += '\t'; break;
        default: *buf += raw[i];  // " \ /
      }
    }
    out = *buf;
    return true;
  }
  // JSON number grammar; integers of up to 18 digits, doubles in range.
  bool number(Val& v) {
    size_t start = p;
    bool neg = false;
    if (in[p] == '-') neg = true, ++p;
    if (p >= in.size()) return false;
    if (in[p] == '0') {
      ++p;
    } else if (in[p] >= '1' && in[p] <= '9') {
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
    } else {
      return false;
    }
    size_t int_end = p;
    bool is_float = false;
    if (p < in.size() && in[p] == '.') {
      ++p;
      size_t d0 = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d0) return false;
      is_float = true;
    }
    if (p < in.size() && (in[p] == 'e' || in[p] == 'E')) {
      ++p;
      if (p < in.size() && (in[p] == '+' || in[p] == '-')) ++p;
      size_t d0 = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d0) return false;
      is_float = true;
    }
    if (!is_float) {
      size_t d0 = start + (neg ? 1 : 0);
      if (int_end - d0 > 18) return false;
      int64_t x = 0;
      for (size_t i = d0; i < int_end; ++i) x = x * 10 + (in[i] - '0');
      v.t = T::Int;
      v.i = neg ? -x : x;
      return true;
    }
    double d = 0;
    auto r = std::from_chars(in.data() + start, in.data() + p, d);
    if (r.ec != std::errc() || r.ptr != in.data() + p || !std::isfinite(d)) return false;
    // Leave underflow (subnormals, zero from non-zero digits) to strtod.
    if (d == 0 || std::fabs(d) < 2.2250738585072014e-308) {
      for (size_t i = start; i < p && in[i] != 'e' && in[i] != 'E'; ++i)
        if (in[i] >= '1' && in[i] <= '9') return false;
    }
    v.t = T::Float;
    v.d = d;
    return true;
  }
  bool value(Val& v, bool keep) {
    if (p >= in.size()) return false;
    char c = in[p];
    if (c == '"') {
      ++p;
      v.t = T::Str;
      return string(v.s, keep ? &v.buf : nullptr);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(v);
    if (lit("true")) return v.t = T::True, true;
    if (lit("false")) return v.t = T::False, true;
    if (lit("null")) return v.t = T::Null, true;
    return false;  // objects, arrays, anything else: the slow path
  }
  bool object() {
    seen = 0;
    ws();
    if (p >= in.size() || in[p] != '{') return false;
    ++p;
    ws();
    Val skip;
    while (true) {
      if (p >= in.size() || in[p] != '"') return false;
      ++p;
      std::string_view k;
      if (!string(k, nullptr)) return false;  // keys with escapes: slow path
      ws();
      if (p >= in.size() || in[p] != ':') return false;
      ++p;
      ws();
      Key key = key_of(k);
      if (key == k_other) {
        skip.buf.clear();
        if (!value(skip, true)) return false;
      } else {
        if (seen & (1u << key)) return false;  // duplicate: nlohmann keeps the last
        seen |= 1u << key;
        if (!value(vals[key], true)) return false;
      }
      ws();
      if (p >= in.size()) return false;
      if (in[p] == ',') {
        ++p;
        ws();
        continue;
      }
      if (in[p] != '}') return false;
      ++p;
      ws();
      return p == in.size();
    }
  }

  const Val* get(Key k, T t) const {
    if (!(seen & (1u << k)) || vals[k].t != t) return nullptr;
    return &vals[k];
  }
  bool integer(Key k, int64_t& out) const {
    const Val* v = get(k, T::Int);
    if (!v) return false;
    out = v->i;
    return true;
  }
  bool number_(Key k, double& out) const {
    if (!(seen & (1u << k))) return false;
    const Val& v = vals[k];
    if (v.t == T::Int) out = static_cast<double>(v.i);
    else if (v.t == T::Float) out = v.d;
    else return false;
    return true;
  }
  bool str(Key k, std::string& out) const {
    const Val* v = get(k, T::Str);
    if (!v) return false;
    out.assign(v->s.data(), v->s.size());
    return true;
  }
  bool boolean(Key k, bool& out) const {
    if (!(seen & (1u << k))) return false;
    if (vals[k].t == T::True) out = true;
    else if (vals[k].t == T::False) out = false;
    else return false;
    return true;
  }

  // Mirrors event_from_json; false wherever it would fail.
  bool event(Event& e) {
    if (!object()) return false;
    int64_t x = 0;
    if (!integer(k_t_ns, e.t_ns) || !integer(k_pid, x)) return false;
    e.pid = static_cast<int32_t>(x);
    const Val* kv = get(k_kind, T::Str);
    if (!kv) return false;
    auto k = kind_from_name(kv->s);
    if (!k) return false;
    e.kind = *k;
    bool b = false;
    switch (shape_of(e.kind)) {
      case Shape::Start: {
        if (!integer(k_ppid, x) || !str(k_name, e.name) || !boolean(k_daemon, b)) return false;
        e.other = static_cast<int32_t>(x);
        if (b) e.flags |= kFlagDaemon;
        const Val* m = get(k_method, T::Str);
        if (!m) return false;
        if (m->s == "spawn") e.flags |= kFlagSpawn;
        else if (m->s == "forkserver") e.flags |= kFlagForkserver;
        else if (m->s != "fork") return false;
        break;
      }
      case Shape::Exit:
        if (!integer(k_code, e.value)) return false;
        break;
      case Shape::Killed:
        if (!integer(k_signal, e.value) || !str(k_by, e.text)) return false;
        break;
      case Shape::Join:
      case Shape::JoinEnd: {
        if (!integer(k_target, x)) return false;
        e.other = static_cast<int32_t>(x);
        if (!(seen & (1u << k_timeout_s))) return false;
        if (vals[k_timeout_s].t != T::Null) {
          if (!number_(k_timeout_s, e.seconds)) return false;
          e.flags |= kFlagHasTimeout;
        }
        if (e.kind == EventKind::join_end) {
          if (!boolean(k_timed_out, b)) return false;
          if (b) e.flags |= kFlagTimedOut;
        }
        break;
      }
      case Shape::Sleep:
        if (!number_(k_seconds, e.seconds)) return false;
        break;
      case Shape::Print:
        if (!str(k_text, e.text)) return false;
        if (seen & (1u << k_stream)) {
          std::string s;
          if (!str(k_stream, s) || (s != "stdout" && s != "stderr")) return false;
          if (s == "stderr") e.flags |= kFlagStderr;
        }
        break;
      case Shape::Lock:
        if (!str(k_obj, e.name)) return false;
        break;
      case Shape::Obj:
        if (!str(k_obj, e.name)) return false;
        if ((seen & (1u << k_op)) && !str(k_op, e.text)) return false;
        break;
      case Shape::Terminate:
        if (!integer(k_target, x) || !integer(k_signal, e.value)) return false;
        e.other = static_cast<int32_t>(x);
        break;
      case Shape::Sem:
        if (!str(k_obj, e.name) || !integer(k_value, e.value)) return false;
        break;
      case Shape::Queue:
        if (!str(k_obj, e.name) || !str(k_item, e.text) || !integer(k_size, e.value)) return false;
        if ((seen & (1u << k_maxsize)) && vals[k_maxsize].t != T::Null && !integer(k_maxsize, e.limit))
          return false;
        break;
      case Shape::Pipe:
        if (!str(k_obj, e.name) || !integer(k_end, x) || !str(k_item, e.text)) return false;
        e.other = static_cast<int32_t>(x);
        break;
      case Shape::Pool:
        if (!integer(k_task, x) || !str(k_func, e.name)) return false;
        e.other = static_cast<int32_t>(x);
        if (e.kind == EventKind::pool_task_end && (seen & (1u << k_result)) && !str(k_result, e.text))
          return false;
        break;
      case Shape::RunEnd:
        if (!str(k_status, e.text) || !integer(k_dropped_frames, e.value)) return false;
        if ((seen & (1u << k_limit)) && !str(k_limit, e.name)) return false;
        break;
      case Shape::Value: return false;  // rare kinds: the full parser reads them
    }
    if (seen & (1u << k_line)) {
      if (!integer(k_line, x)) return false;
      e.line = static_cast<int32_t>(x);
    }
    return true;
  }
};

}  // namespace

struct FastEventLineParser::Impl : Parser {};

FastEventLineParser::FastEventLineParser() : impl_(std::make_unique<Impl>()) {}
FastEventLineParser::~FastEventLineParser() = default;

bool FastEventLineParser::parse(std::string_view line, Event& out) {
  impl_->in = line;
  impl_->p = 0;
  return impl_->event(out);
}

}  // namespace mpviz
