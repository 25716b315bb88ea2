// posix_spawn (vfork + exec: safe from the multi-threaded GUI) with what every
// process the engine launches needs: a clean signal mask, default signal
// dispositions, and a process group of its own.
#pragma once
#include <csignal>
#include <spawn.h>

namespace mpviz {

struct SpawnSetup {
  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;

  SpawnSetup() {
    posix_spawn_file_actions_init(&files);
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group (pgid = its pid)
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace mpviz
