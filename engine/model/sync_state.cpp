#include "engine/model/sync_state.hpp"

#include <algorithm>

#include "engine/model/timeline_model.hpp"

namespace mpviz {

const char* proc_state_name(ProcState s) {
  switch (s) {
    case ProcState::Running: return "running";
    case ProcState::Sleeping: return "sleeping";
    case ProcState::WaitingLock: return "waiting on lock";
    case ProcState::WaitingSemaphore: return "waiting on semaphore";
    case ProcState::WaitingPut: return "waiting to put";
    case ProcState::WaitingGet: return "waiting to get";
    case ProcState::WaitingRecv: return "waiting in recv";
    case ProcState::Joining: return "joining";
    case ProcState::Exited: return "exited";
    case ProcState::Killed: return "killed";
  }
  return "?";
}

namespace {
void erase_pid(std::vector<int32_t>& v, int32_t pid) {
  v.erase(std::remove(v.begin(), v.end(), pid), v.end());
}
}  // namespace

void SyncState::apply(const Event& e) {
  t = e.t_ns;
  auto set = [&](ProcState s, std::string on = {}) {
    auto& p = processes[e.pid];
    p.state = s;
    p.on = std::move(on);
  };
  switch (e.kind) {
    case EventKind::process_start: {
      auto& p = processes[e.pid];
      p = ProcView{};
      p.name = e.name;
      p.ppid = e.other;
      break;
    }
    case EventKind::process_exit:
    case EventKind::process_killed: {
      auto& p = processes[e.pid];
      p.state = e.kind == EventKind::process_exit ? ProcState::Exited : ProcState::Killed;
      p.on.clear();
      p.code = e.value;
      for (auto& [name, l] : locks) {
        erase_pid(l.waiters, e.pid);
        if (l.owner == e.pid) l.owner_dead = true;
      }
      for (auto& [name, s] : semaphores) erase_pid(s.waiters, e.pid);
      break;
    }
    case EventKind::sleep_begin: set(ProcState::Sleeping); break;
    case EventKind::join_begin: set(ProcState::Joining, std::to_string(e.other)); break;
    case EventKind::sleep_end:
    case EventKind::join_end:
    case EventKind::queue_put:
    case EventKind::queue_get:
    case EventKind::pipe_send:
    case EventKind::print:
    case EventKind::pool_submit:
    case EventKind::pool_task_begin:
    case EventKind::pool_task_end: set(ProcState::Running); break;
    case EventKind::lock_wait:
      set(ProcState::WaitingLock, e.name);
      locks[e.name].waiters.push_back(e.pid);
      break;
    case EventKind::lock_acquire: {
      set(ProcState::Running);
      auto& l = locks[e.name];
      erase_pid(l.waiters, e.pid);
      l.owner = e.pid;
      l.owner_dead = false;
      break;
    }
    case EventKind::lock_release: {
      set(ProcState::Running);
      auto& l = locks[e.name];
      if (l.owner == e.pid) l.owner = 0;
      break;
    }
    case EventKind::sem_wait: {
      set(ProcState::WaitingSemaphore, e.name);
      auto& s = semaphores[e.name];
      s.value = e.value;
      s.waiters.push_back(e.pid);
      break;
    }
    case EventKind::sem_acquire:
    case EventKind::sem_release: {
      set(ProcState::Running);
      auto& s = semaphores[e.name];
      s.value = e.value;
      if (e.kind == EventKind::sem_acquire) erase_pid(s.waiters, e.pid);
      break;
    }
    case EventKind::queue_put_wait: set(ProcState::WaitingPut, e.name); break;
    case EventKind::queue_get_wait: set(ProcState::WaitingGet, e.name); break;
    case EventKind::op_timeout: {
      set(ProcState::Running);
      auto l = locks.find(e.name);
      if (l != locks.end()) erase_pid(l->second.waiters, e.pid);
      auto s = semaphores.find(e.name);
      if (s != semaphores.end()) erase_pid(s->second.waiters, e.pid);
      break;
    }
    case EventKind::pipe_recv_wait: set(ProcState::WaitingRecv, e.name); break;
    case EventKind::pipe_recv: {
      set(ProcState::Running);
      auto& q = pipes[{e.name, static_cast<int>(e.other)}];
      if (!q.empty()) q.pop_front();
      break;
    }
    case EventKind::value_read: {
      set(ProcState::Running);
      auto& v = values[value_key(e)];
      v.value = value_text(e);
      break;
    }
    case EventKind::value_write: {
      set(ProcState::Running);
      auto& v = values[value_key(e)];
      v.value = value_text(e);
      v.last_writer = e.pid;
      ++v.writes;
      if (e.flags & kFlagLost) ++v.lost;
      break;
    }
    case EventKind::run_end:
    case EventKind::terminate: break;  // the end itself is process_killed
  }
  // Queue contents and in-flight messages.
  if (e.kind == EventKind::queue_put) {
    auto& q = queues[e.name];
    q.items.push_back(e.text);
    q.maxsize = e.limit;
  } else if (e.kind == EventKind::queue_get) {
    auto& q = queues[e.name];
    if (!q.items.empty()) q.items.pop_front();
    q.maxsize = e.limit;
  } else if (e.kind == EventKind::pipe_send) {
    pipes[{e.name, e.other == 0 ? 1 : 0}].push_back(e.text);
  }
}

}  // namespace mpviz
