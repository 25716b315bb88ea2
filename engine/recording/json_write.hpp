// Appending compact JSON to a std::string, byte for byte what nlohmann's
// dump() (no indent, ensure_ascii=false, strict UTF-8) writes for the same
// values: the recording writer and the Chrome export use it instead of
// building nlohmann trees (1M events: seconds and gigabytes saved).
// Header-only on purpose (the fuzz build compiles engine sources by name).
#pragma once
#include <charconv>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace mpviz::jsonw {

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629, the table
// nlohmann's lexer and serializer accept), or 0 if it is not valid.
inline size_t utf8_seq_len(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto in = [](unsigned c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
  const size_t n = s.size();
  unsigned c = b(i);
  if (c < 0x80) return 1;
  if (in(c, 0xC2, 0xDF)) return i + 1 < n && in(b(i + 1), 0x80, 0xBF) ? 2 : 0;
  if (in(c, 0xE0, 0xEF)) {
    if (i + 2 >= n) return 0;
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return in(b(i + 1), lo, hi) && in(b(i + 2), 0x80, 0xBF) ? 3 : 0;
  }
  if (in(c, 0xF0, 0xF4)) {
    if (i + 3 >= n) return 0;
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return in(b(i + 1), lo, hi) && in(b(i + 2), 0x80, 0xBF) && in(b(i + 3), 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// A JSON string literal. Invalid UTF-8 throws exactly what nlohmann throws.
inline void str(std::string& out, std::string_view s) {
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t len = utf8_seq_len(s, i);
      if (len == 0) {  // throws type_error 316 like nlohmann's dump()
        (void)nlohmann::json(std::string(s)).dump();
        len = 1;  // not reached
      }
      i += len;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static const char* hex = "0123456789abcdef";
        char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(u, 6);
      }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

inline void integer(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

inline void number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(end - buf));
}

inline void boolean(std::string& out, bool v) { out += v ? "true" : "false"; }

// `"key":` — keys are ASCII identifiers written by our own code.
inline void key(std::string& out, std::string_view k) {
  out += '"';
  out += k;
  out += "\":";
}

}  // namespace mpviz::jsonw
