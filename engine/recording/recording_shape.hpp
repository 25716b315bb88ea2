// Which fields an event kind carries in a recording (design.md's table):
// shared by the recording's writers and its two parsers.
#pragma once
#include "engine/wire/event.hpp"

namespace mpviz::recording_detail {

enum class Shape { Start, Exit, Killed, Join, JoinEnd, Sleep, Print, Lock, Sem, Queue, Pipe, Pool, RunEnd, Obj, Terminate, Value };

inline Shape shape_of(EventKind k) {
  switch (k) {
    case EventKind::process_start: return Shape::Start;
    case EventKind::process_exit: return Shape::Exit;
    case EventKind::process_killed: return Shape::Killed;
    case EventKind::join_begin: return Shape::Join;
    case EventKind::join_end: return Shape::JoinEnd;
    case EventKind::sleep_begin:
    case EventKind::sleep_end: return Shape::Sleep;
    case EventKind::print: return Shape::Print;
    case EventKind::lock_wait:
    case EventKind::lock_acquire:
    case EventKind::lock_release: return Shape::Lock;
    case EventKind::sem_wait:
    case EventKind::sem_acquire:
    case EventKind::sem_release: return Shape::Sem;
    case EventKind::queue_put_wait:
    case EventKind::queue_put:
    case EventKind::queue_get_wait:
    case EventKind::queue_get: return Shape::Queue;
    case EventKind::pipe_send:
    case EventKind::pipe_recv_wait:
    case EventKind::pipe_recv: return Shape::Pipe;
    case EventKind::pool_submit:
    case EventKind::pool_task_begin:
    case EventKind::pool_task_end: return Shape::Pool;
    case EventKind::run_end: return Shape::RunEnd;
    case EventKind::op_timeout: return Shape::Obj;
    case EventKind::terminate: return Shape::Terminate;
    case EventKind::value_read:
    case EventKind::value_write: return Shape::Value;
  }
  return Shape::Obj;
}

}  // namespace mpviz::recording_detail
