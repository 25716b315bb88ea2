/* _mpviz_fast: the Python tracer's per-operation hot path in C.
 *
 * assets/python/mpviz_trace/core.py uses it when it imports (same CPython it
 * was built for) and falls back to its pure-Python twin otherwise; both write
 * the same bytes. What lives here is what every traced operation pays:
 *   user_frame()  the program's own frame (core._user_frame)
 *   emit()        timestamp, encoding and batching (emitter.Emitter). The
 *                 batch is ONE compact version-3 frame (engine/wire/
 *                 wire_codec.cpp's append_event: varints against the batch's
 *                 first time and pid, CRC-32C by SSE4.2 once per batch)
 *                 where the pure tracer writes one version-1 frame per
 *                 event (wire.encode): the engine reads both, the same events.
 *   gate_pass()   step mode's "is the run held?" read of the shared table,
 *                 calling the Python gate only when it is
 *   now(), flush(), after_fork_in_child()
 * The process id is cached (a getpid() syscall costs microseconds on a
 * virtual machine) and refreshed in a forked child.
 *
 * Everything runs with the GIL held, which is the emitter's lock: no Python
 * code runs while the batch buffer is being changed. A write to a full pipe
 * waits (boundedly, FULL_PIPE_WAIT_MS) with the GIL held, as the Python
 * emitter waits holding its lock: batches stay in order. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PIPE_BUF_BYTES 4096
#define MAX_AGE_NS 1000000LL
#define FULL_PIPE_WAIT_MS 1000
#define MAX_STRING 1500
#define HEADER 12
#define BASE 12 /* a compact payload starts with base t_ns (i64) and base pid (i32) */
#define MAX_PAYLOAD (PIPE_BUF_BYTES - HEADER)
#define VERSION 3 /* wire_codec.hpp's kVersionCompact */
#define GATE_MODE_AT 4
#define GATE_HELD 1

#ifndef MPVIZ_BUILT_FOR_PYTHON
#define MPVIZ_BUILT_FOR_PYTHON ""
#endif

/* ---- state (one per process; the tracer runs in the main interpreter) ---- */
static int g_fd = -1;
static PyObject* g_on_drop;   /* counts one dropped frame */
static PyObject* g_kinds;     /* wire.KINDS: name -> number */
static PyObject* g_here;      /* the tracer package's directory */
static PyObject* g_stdlib;    /* .../lib/python3.X */
static PyObject* g_site;      /* "site-packages" */
static PyObject* g_slow_pass; /* core's pure _pass: called when the run is held */
static volatile uint32_t* g_gate_mode;
static PyObject* g_is_internal; /* core._is_internal: asked for "<string>" frames */
#define MAX_INTERNAL 16
static PyObject* g_internal[MAX_INTERNAL]; /* its yes answers, kept (with a reference) */
static int g_n_internal;
static pid_t g_pid;
static unsigned char g_buf[PIPE_BUF_BYTES]; /* one frame: header, then payload */
static size_t g_len;                         /* payload bytes (0: no batch) */
static int64_t g_base_t;
static int32_t g_base_pid;
static int64_t g_oldest;
static _Thread_local int t_busy;

static uint32_t crc_table[8][256];

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0x82F63B78u ^ (c >> 1) : c >> 1;
    crc_table[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i)
    for (int s = 1; s < 8; ++s)
      crc_table[s][i] = (crc_table[s - 1][i] >> 8) ^ crc_table[0][crc_table[s - 1][i] & 0xFF];
}

/* CRC-32C (Castagnoli), slice-by-8: where SSE4.2 is missing. */
static uint32_t crc32c_table(const unsigned char* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n >= 8) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + 4, 4);
    lo ^= c;
    c = crc_table[7][lo & 0xFF] ^ crc_table[6][(lo >> 8) & 0xFF] ^ crc_table[5][(lo >> 16) & 0xFF] ^
        crc_table[4][lo >> 24] ^ crc_table[3][hi & 0xFF] ^ crc_table[2][(hi >> 8) & 0xFF] ^
        crc_table[1][(hi >> 16) & 0xFF] ^ crc_table[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = crc_table[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(const unsigned char* p, size_t n) {
  uint64_t c = 0xFFFFFFFFu;
  while (n >= 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    c = __builtin_ia32_crc32di(c, v);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = (uint32_t)c;
  while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
  return c32 ^ 0xFFFFFFFFu;
}
static int g_sse42;
#endif

static uint32_t crc32c(const unsigned char* p, size_t n) {
#if defined(__x86_64__)
  if (g_sse42) return crc32c_sse42(p, n);
#endif
  return crc32c_table(p, n);
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_fork_child(void) { g_pid = 0; }

static pid_t my_pid(void) {
  if (g_pid == 0) g_pid = getpid();
  return g_pid;
}

/* ---- source lines ----
 * PyFrame_GetLineNumber scans the code object's line table on every call;
 * a small direct-mapped cache per (code object, instruction offset) holds
 * the answer. Entries keep their code object alive, so an address is never
 * reused for another code object while cached. */
#define LINE_CACHE 256
static struct {
  PyCodeObject* code;
  int lasti, line;
} g_lines[LINE_CACHE];

static int line_of(PyFrameObject* frame) {
#if PY_VERSION_HEX >= 0x030B0000
  PyCodeObject* code = PyFrame_GetCode(frame); /* new reference */
  const int lasti = PyFrame_GetLasti(frame);
  const size_t h = (((uintptr_t)code >> 4) ^ (size_t)lasti * 2654435761u) % LINE_CACHE;
  if (g_lines[h].code == code && g_lines[h].lasti == lasti && lasti >= 0) {
    Py_DECREF(code);
    return g_lines[h].line;
  }
  const int line = PyFrame_GetLineNumber(frame);
  if (lasti >= 0) {
    Py_XSETREF(g_lines[h].code, code); /* keeps our reference */
    g_lines[h].lasti = lasti;
    g_lines[h].line = line;
  } else {
    Py_DECREF(code);
  }
  return line;
#else
  return PyFrame_GetLineNumber(frame);
#endif
}

/* ---- the emitter ---- */

/* Writes the batch, one frame (all or nothing: <= PIPE_BUF); a pipe that
 * stays full for FULL_PIPE_WAIT_MS drops it and counts it, as the C++
 * runtime's emitter counts a dropped frame. */
static void write_batch(void) {
  if (g_len == 0) return;
  unsigned char data[PIPE_BUF_BYTES];
  const size_t n = HEADER + g_len;
  const uint16_t plen = (uint16_t)g_len;
  const uint32_t crc = crc32c(g_buf + HEADER, g_len);
  memcpy(g_buf, "MPVZ", 4);
  g_buf[4] = VERSION;
  g_buf[5] = 0;
  memcpy(g_buf + 6, &plen, 2);
  memcpy(g_buf + 8, &crc, 4);
  memcpy(data, g_buf, n);
  g_len = 0;
  int64_t deadline = 0;
  for (;;) {
    ssize_t w = write(g_fd, data, n);
    if (w >= 0) return;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return; /* EPIPE: the engine is gone */
    int64_t t = now_ns();
    if (deadline == 0) deadline = t + (int64_t)FULL_PIPE_WAIT_MS * 1000000LL;
    if (t >= deadline) break;
    struct pollfd pfd = {g_fd, POLLOUT, 0};
    int ms = (int)((deadline - t + 999999) / 1000000);
    poll(&pfd, 1, ms);
  }
  if (g_on_drop == NULL) return;
  PyObject* r = PyObject_CallNoArgs(g_on_drop);
  if (r == NULL)
    PyErr_Clear(); /* counting is best effort */
  else
    Py_DECREF(r);
}

/* ---- encoding ---- */

typedef struct {
  int kind, flags;
  int32_t pid, other, line;
  int64_t t_ns, value, limit;
  double seconds;
  const char *name, *text;
  Py_ssize_t nlen, tlen;
} Fields;

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }

static unsigned char* put_varint(unsigned char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  *p++ = (unsigned char)v;
  return p;
}

enum { HAS_PID = 1, HAS_OTHER = 2, HAS_VALUE = 4, HAS_LIMIT = 8, HAS_SECONDS = 16, HAS_LINE = 32,
       HAS_NAME = 64, HAS_TEXT = 128 };

/* One event in wire_codec.cpp's compact layout, relative to (base_t,
 * base_pid); returns its end. out needs room for 3 + 6*10 + 8 + 2*(3+1500). */
static unsigned char* put_compact(unsigned char* p, const Fields* f, int64_t base_t,
                                  int32_t base_pid) {
  uint64_t bits;
  memcpy(&bits, &f->seconds, 8);
  uint8_t mask = (f->pid != base_pid ? HAS_PID : 0) | (f->other ? HAS_OTHER : 0) |
                 (f->value ? HAS_VALUE : 0) | (f->limit ? HAS_LIMIT : 0) |
                 (bits ? HAS_SECONDS : 0) | (f->line ? HAS_LINE : 0) | (f->nlen ? HAS_NAME : 0) |
                 (f->tlen ? HAS_TEXT : 0);
  *p++ = (unsigned char)f->kind;
  *p++ = (unsigned char)f->flags;
  *p++ = mask;
  p = put_varint(p, zigzag((int64_t)((uint64_t)f->t_ns - (uint64_t)base_t)));
  if (mask & HAS_PID) p = put_varint(p, zigzag(f->pid));
  if (mask & HAS_OTHER) p = put_varint(p, zigzag(f->other));
  if (mask & HAS_VALUE) p = put_varint(p, zigzag(f->value));
  if (mask & HAS_LIMIT) p = put_varint(p, zigzag(f->limit));
  if (mask & HAS_SECONDS) {
    memcpy(p, &f->seconds, 8);
    p += 8;
  }
  if (mask & HAS_LINE) p = put_varint(p, zigzag(f->line));
  if (mask & HAS_NAME) {
    p = put_varint(p, (uint64_t)f->nlen);
    memcpy(p, f->name, (size_t)f->nlen);
    p += f->nlen;
  }
  if (mask & HAS_TEXT) {
    p = put_varint(p, (uint64_t)f->tlen);
    memcpy(p, f->text, (size_t)f->tlen);
    p += f->tlen;
  }
  return p;
}

#define MAX_EVENT (3 + 6 * 10 + 8 + 2 * (3 + MAX_STRING))

/* Adds one event to the batch: a new batch when it would not fit, and a
 * write when the batch's oldest event is older than MAX_AGE_NS. */
static void batch_event(const Fields* f, int64_t now) {
  unsigned char ev[MAX_EVENT];
  if (g_len != 0) {
    size_t n = (size_t)(put_compact(ev, f, g_base_t, g_base_pid) - ev);
    if (g_len + n > MAX_PAYLOAD) {
      write_batch();
    } else {
      memcpy(g_buf + HEADER + g_len, ev, n);
      g_len += n;
      if (now - g_oldest >= MAX_AGE_NS) write_batch();
      return;
    }
  }
  g_base_t = f->t_ns;
  g_base_pid = f->pid;
  g_oldest = now;
  memcpy(g_buf + HEADER, &g_base_t, 8);
  memcpy(g_buf + HEADER + 8, &g_base_pid, 4);
  size_t n = (size_t)(put_compact(g_buf + HEADER + BASE, f, g_base_t, g_base_pid) -
                      (g_buf + HEADER + BASE));
  g_len = BASE + n;
}

/* str(obj) as UTF-8 ("replace" errors), cut to MAX_STRING bytes with "..."
 * as wire._cut does. *keep owns what *s points into. */
static int utf8_of(PyObject* obj, const char** s, Py_ssize_t* n, PyObject** keep,
                   char* cut_buf) {
  PyObject* str = PyUnicode_Check(obj) ? (Py_INCREF(obj), obj) : PyObject_Str(obj);
  /* A program's __str__ may raise; the tracer must not (wire._text): repr(),
   * else "<TypeName>". */
  if (str == NULL) {
    PyErr_Clear();
    str = PyObject_Repr(obj);
    if (str != NULL && !PyUnicode_Check(str)) Py_CLEAR(str);
  }
  if (str == NULL) {
    PyErr_Clear();
    str = PyUnicode_FromFormat("<%s>", _PyType_Name(Py_TYPE(obj)));
  }
  if (str == NULL) return -1;
  const char* u = PyUnicode_AsUTF8AndSize(str, n);
  if (u == NULL) { /* lone surrogates: encode with "replace" */
    PyErr_Clear();
    PyObject* b = PyUnicode_AsEncodedString(str, "utf-8", "replace");
    Py_DECREF(str);
    if (b == NULL) return -1;
    str = b;
    u = PyBytes_AS_STRING(b);
    *n = PyBytes_GET_SIZE(b);
  }
  *keep = str;
  if (*n > MAX_STRING) {
    memcpy(cut_buf, u, MAX_STRING - 3);
    memcpy(cut_buf + MAX_STRING - 3, "...", 3);
    u = cut_buf;
    *n = MAX_STRING;
  }
  *s = u;
  return 0;
}

static int as_i32(PyObject* o, int32_t* out, const char* what) {
  long long v = PyLong_AsLongLong(o);
  if (v == -1 && PyErr_Occurred()) return -1;
  if (v < INT32_MIN || v > INT32_MAX) {
    PyErr_Format(PyExc_OverflowError, "%s out of the int32 range", what);
    return -1;
  }
  *out = (int32_t)v;
  return 0;
}

static int as_i64(PyObject* o, int64_t* out) {
  long long v = PyLong_AsLongLong(o);
  if (v == -1 && PyErr_Occurred()) return -1;
  *out = v;
  return 0;
}

/* The keyword fields of wire.encode, shared by emit() and encode(). */
static PyObject *s_flags, *s_other, *s_value, *s_limit, *s_seconds, *s_line, *s_name, *s_text,
    *s_frame, *s_pid, *s_t;

typedef struct {
  PyObject *flags, *other, *value, *limit, *seconds, *line, *name, *text, *frame, *pid, *t;
} Args;

static int take_kwargs(PyObject* const* args, Py_ssize_t npos, PyObject* kwnames, Args* a,
                       PyObject** positional[], Py_ssize_t max_pos, const char* fn) {
  if (npos > max_pos) {
    PyErr_Format(PyExc_TypeError, "%s() takes at most %zd positional arguments", fn, max_pos);
    return -1;
  }
  for (Py_ssize_t i = 0; i < npos; ++i) *positional[i] = args[i];
  if (kwnames == NULL) return 0;
  Py_ssize_t nk = PyTuple_GET_SIZE(kwnames);
  for (Py_ssize_t i = 0; i < nk; ++i) {
    PyObject* k = PyTuple_GET_ITEM(kwnames, i);
    PyObject* v = args[npos + i];
    PyObject** slot = NULL;
    PyObject* names[] = {s_flags, s_other, s_value, s_limit, s_seconds, s_line,
                         s_name,  s_text,  s_frame, s_pid,   s_t};
    PyObject** slots[] = {&a->flags, &a->other, &a->value, &a->limit, &a->seconds, &a->line,
                          &a->name,  &a->text,  &a->frame, &a->pid,   &a->t};
    for (int j = 0; j < 11 && slot == NULL; ++j)
      if (k == names[j]) slot = slots[j];
    for (int j = 0; j < 11 && slot == NULL; ++j)
      if (PyUnicode_Compare(k, names[j]) == 0) slot = slots[j];
    if (slot == NULL) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fn, k);
      return -1;
    }
    if (*slot != NULL) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%U'", fn, k);
      return -1;
    }
    *slot = v;
  }
  return 0;
}

/* Fills f from a (fields absent stay at wire.encode's defaults). */
static int fill_fields(Fields* f, Args* a, PyObject** keep_n, PyObject** keep_t, char* cutn,
                       char* cutt) {
  f->flags = 0;
  f->other = 0;
  f->value = f->limit = 0;
  f->seconds = 0.0;
  f->name = f->text = "";
  f->nlen = f->tlen = 0;
  if (a->flags) {
    long v = PyLong_AsLong(a->flags);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < 0 || v > 255) {
      PyErr_SetString(PyExc_OverflowError, "flags out of the u8 range");
      return -1;
    }
    f->flags = (int)v;
  }
  if (a->other && as_i32(a->other, &f->other, "other") < 0) return -1;
  if (a->value && as_i64(a->value, &f->value) < 0) return -1;
  if (a->limit && as_i64(a->limit, &f->limit) < 0) return -1;
  if (a->seconds) {
    f->seconds = PyFloat_AsDouble(a->seconds);
    if (f->seconds == -1.0 && PyErr_Occurred()) return -1;
  }
  if (a->name) {
    int truth = PyObject_IsTrue(a->name);
    if (truth < 0) return -1;
    if (truth && utf8_of(a->name, &f->name, &f->nlen, keep_n, cutn) < 0) return -1;
  }
  if (a->text && !(PyUnicode_Check(a->text) && PyUnicode_GET_LENGTH(a->text) == 0)) {
    if (utf8_of(a->text, &f->text, &f->tlen, keep_t, cutt) < 0) return -1;
  }
  return 0;
}

static int kind_number(PyObject* kind) {
  PyObject* v = g_kinds ? PyDict_GetItemWithError(g_kinds, kind) : NULL;
  if (v == NULL) {
    if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, kind);
    return -1;
  }
  return (int)PyLong_AsLong(v);
}

/* emit(kind, frame=None, pid=None, t=None, **fields): core.emit. */
static PyObject* fast_emit(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                           PyObject* kwnames) {
  (void)self;
  if (g_fd < 0 || t_busy) Py_RETURN_NONE;
  Args a = {0};
  PyObject* kind = NULL;
  PyObject** pos[] = {&kind, &a.frame, &a.pid, &a.t};
  if (take_kwargs(args, nargs, kwnames, &a, pos, 4, "emit") < 0) return NULL;
  if (kind == NULL) {
    PyErr_SetString(PyExc_TypeError, "emit() missing the kind");
    return NULL;
  }
  if (a.line) {
    PyErr_SetString(PyExc_TypeError, "emit() got multiple values for keyword argument 'line'");
    return NULL;
  }
  t_busy = 1;
  PyObject *keep_n = NULL, *keep_t = NULL;
  PyObject* result = NULL;
  char cutn[MAX_STRING], cutt[MAX_STRING];
  Fields f;
  f.line = 0;
  if (a.frame && a.frame != Py_None) {
    if (PyFrame_Check(a.frame)) {
      f.line = line_of((PyFrameObject*)a.frame);
    } else {
      PyObject* ln = PyObject_GetAttrString(a.frame, "f_lineno");
      if (ln == NULL) goto done;
      int bad = as_i32(ln, &f.line, "line");
      Py_DECREF(ln);
      if (bad) goto done;
    }
  }
  int64_t now = 0;
  f.kind = kind_number(kind);
  if (f.kind < 0) goto done;
  if (fill_fields(&f, &a, &keep_n, &keep_t, cutn, cutt) < 0) goto done;
  f.pid = 0;
  if (a.pid && a.pid != Py_None) {
    int truth = PyObject_IsTrue(a.pid);
    if (truth < 0 || (truth && as_i32(a.pid, &f.pid, "pid") < 0)) goto done;
  }
  if (f.pid == 0) f.pid = (int32_t)my_pid();
  f.t_ns = 0;
  if (a.t && a.t != Py_None) {
    int truth = PyObject_IsTrue(a.t);
    if (truth < 0 || (truth && as_i64(a.t, &f.t_ns) < 0)) goto done;
  }
  /* A given time was taken just before (a release's): it ages the batch
   * as well as a fresh clock read would. */
  now = f.t_ns != 0 ? f.t_ns : now_ns();
  if (f.t_ns == 0) f.t_ns = now;
  batch_event(&f, now);
  result = Py_None;
  Py_INCREF(result);
done:
  Py_XDECREF(keep_n);
  Py_XDECREF(keep_t);
  t_busy = 0;
  return result;
}

/* user_frame(): core._user_frame, from the caller of the function calling us. */
static PyObject* fast_user_frame(PyObject* self, PyObject* unused) {
  (void)self;
  (void)unused;
  PyFrameObject* cur = PyEval_GetFrame(); /* borrowed: the tracer function calling us */
  if (cur == NULL || g_here == NULL) Py_RETURN_NONE;
  PyFrameObject* f = PyFrame_GetBack(cur); /* new reference */
  while (f != NULL) {
    PyCodeObject* code = PyFrame_GetCode(f);
    PyObject* fn = code->co_filename;
    int skip = PyUnicode_Tailmatch(fn, g_here, 0, PY_SSIZE_T_MAX, -1);
    int result = -1; /* -1: go on, 0: None, 1: this frame */
    if (skip < 0) {
      Py_DECREF(code);
      Py_DECREF(f);
      return NULL;
    }
    if (!skip) {
      int std = PyUnicode_Tailmatch(fn, g_stdlib, 0, PY_SSIZE_T_MAX, -1);
      int site = std > 0 ? PyUnicode_Contains(fn, g_site) : 0;
      if (std < 0 || site < 0) {
        Py_DECREF(code);
        Py_DECREF(f);
        return NULL;
      }
      result = (std && !site) ? 0 : 1;
      for (int i = 0; i < g_n_internal && result == 1; ++i)
        if ((PyObject*)code == g_internal[i]) result = 0;
      if (result == 1 && g_is_internal != NULL && PyUnicode_Check(fn) &&
          PyUnicode_CompareWithASCIIString(fn, "<string>") == 0) {
        PyObject* r = PyObject_CallOneArg(g_is_internal, (PyObject*)code);
        int internal = r == NULL ? -1 : PyObject_IsTrue(r);
        Py_XDECREF(r);
        if (internal < 0) {
          Py_DECREF(code);
          Py_DECREF(f);
          return NULL;
        }
        if (internal) {
          result = 0;
          if (g_n_internal < MAX_INTERNAL) {
            Py_INCREF(code);
            g_internal[g_n_internal++] = (PyObject*)code;
          }
        }
      }
    }
    Py_DECREF(code);
    if (result == 1) return (PyObject*)f;
    if (result == 0) {
      Py_DECREF(f);
      Py_RETURN_NONE;
    }
    PyFrameObject* back = PyFrame_GetBack(f);
    Py_DECREF(f);
    f = back;
  }
  Py_RETURN_NONE;
}

static PyObject* fast_now(PyObject* self, PyObject* unused) {
  (void)self;
  (void)unused;
  return PyLong_FromLongLong(now_ns());
}

static PyObject* fast_flush(PyObject* self, PyObject* unused) {
  (void)self;
  (void)unused;
  if (g_fd >= 0) write_batch();
  Py_RETURN_NONE;
}

static PyObject* fast_after_fork_in_child(PyObject* self, PyObject* unused) {
  (void)self;
  (void)unused;
  t_busy = 0;
  g_len = 0; /* the parent's pending frames are the parent's to write */
  g_pid = 0;
  Py_RETURN_NONE;
}

/* gate_pass(kind, obj=""): core._pass; False at once unless the run is held. */
static PyObject* fast_gate_pass(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  (void)self;
  if (nargs < 1 || nargs > 2) {
    PyErr_SetString(PyExc_TypeError, "gate_pass(kind, obj='')");
    return NULL;
  }
  if (g_gate_mode == NULL || __atomic_load_n(g_gate_mode, __ATOMIC_ACQUIRE) != GATE_HELD ||
      g_slow_pass == NULL)
    Py_RETURN_FALSE;
  return PyObject_Vectorcall(g_slow_pass, args, (size_t)nargs, NULL);
}

/* configure(fd, on_drop, kinds, here, stdlib): the emitter's pipe and the
 * frame filter's two directories. */
static PyObject* fast_configure(PyObject* self, PyObject* args) {
  (void)self;
  int fd;
  PyObject *on_drop, *kinds, *here, *stdlib;
  if (!PyArg_ParseTuple(args, "iOO!UU", &fd, &on_drop, &PyDict_Type, &kinds, &here, &stdlib))
    return NULL;
  Py_INCREF(on_drop);
  Py_XSETREF(g_on_drop, on_drop);
  Py_INCREF(kinds);
  Py_XSETREF(g_kinds, kinds);
  Py_INCREF(here);
  Py_XSETREF(g_here, here);
  Py_INCREF(stdlib);
  Py_XSETREF(g_stdlib, stdlib);
  g_fd = fd;
  g_len = 0;
  Py_RETURN_NONE;
}

/* set_gate(address, slow_pass): the gate table's mapping (kept alive by the
 * caller's gate.Gate) and the pure step-mode pass for when the run is held. */
static PyObject* fast_set_gate(PyObject* self, PyObject* args) {
  (void)self;
  unsigned long long addr;
  PyObject* slow;
  if (!PyArg_ParseTuple(args, "KO", &addr, &slow)) return NULL;
  Py_INCREF(slow);
  Py_XSETREF(g_slow_pass, slow);
  g_gate_mode = addr ? (volatile uint32_t*)(uintptr_t)(addr + GATE_MODE_AT) : NULL;
  Py_RETURN_NONE;
}

/* set_is_internal(fn): fn(code) says whether a "<string>" frame is
 * multiprocessing's own (core._is_internal). */
static PyObject* fast_set_is_internal(PyObject* self, PyObject* fn) {
  (void)self;
  Py_INCREF(fn);
  Py_XSETREF(g_is_internal, fn);
  Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"set_is_internal", fast_set_is_internal, METH_O, "set_is_internal(fn)"},
    {"emit", (PyCFunction)(void (*)(void))fast_emit, METH_FASTCALL | METH_KEYWORDS,
     "emit(kind, frame=None, pid=None, t=None, **fields)"},
    {"user_frame", fast_user_frame, METH_NOARGS, "the program's own frame, or None"},
    {"now", fast_now, METH_NOARGS, "CLOCK_MONOTONIC in nanoseconds"},
    {"flush", fast_flush, METH_NOARGS, "writes the batch"},
    {"after_fork_in_child", fast_after_fork_in_child, METH_NOARGS, "drops the parent's batch"},
    {"gate_pass", (PyCFunction)(void (*)(void))fast_gate_pass, METH_FASTCALL,
     "gate_pass(kind, obj='')"},
    {"configure", fast_configure, METH_VARARGS, "configure(fd, on_drop, kinds, here, stdlib)"},
    {"set_gate", fast_set_gate, METH_VARARGS, "set_gate(address, slow_pass)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_mpviz_fast",
    .m_doc = "mpviz tracer's hot path",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__mpviz_fast(void) {
#if PY_VERSION_HEX >= 0x030B0000
  /* Only the interpreter whose headers built it: another 3.11.x build gets
   * the pure-Python tracer. */
  if (Py_Version != PY_VERSION_HEX) {
    PyErr_Format(PyExc_ImportError, "_mpviz_fast was built for CPython %s", PY_VERSION);
    return NULL;
  }
#endif
  crc_init();
#if defined(__x86_64__)
  __builtin_cpu_init();
  g_sse42 = __builtin_cpu_supports("sse4.2");
#endif
  static int atfork_done;
  if (!atfork_done) {
    pthread_atfork(NULL, NULL, on_fork_child);
    atfork_done = 1;
  }
#define INTERN(var, s) \
  if ((var = PyUnicode_InternFromString(s)) == NULL) return NULL
  INTERN(s_flags, "flags");
  INTERN(s_other, "other");
  INTERN(s_value, "value");
  INTERN(s_limit, "limit");
  INTERN(s_seconds, "seconds");
  INTERN(s_line, "line");
  INTERN(s_name, "name");
  INTERN(s_text, "text");
  INTERN(s_frame, "frame");
  INTERN(s_pid, "pid");
  INTERN(s_t, "t");
  INTERN(g_site, "site-packages");
#undef INTERN
  PyObject* m = PyModule_Create(&module);
  if (m == NULL) return NULL;
  if (PyModule_AddIntConstant(m, "BUILT_FOR_HEXVERSION", PY_VERSION_HEX) < 0 ||
      PyModule_AddStringConstant(m, "BUILT_FOR_PYTHON", MPVIZ_BUILT_FOR_PYTHON) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
