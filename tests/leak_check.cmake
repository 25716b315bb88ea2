# Fails if any scenario process of mpviz is still alive (or a zombie) or a
# /dev/shm entry of ours exists, after the integration tests ran.
execute_process(COMMAND ps -eo pid,stat,args OUTPUT_VARIABLE ps_out)
string(REGEX MATCHALL "[^\n]*mpviz (__main|__child)[^\n]*" leftovers "${ps_out}")
file(GLOB shm_left /dev/shm/mpviz*)
if(leftovers OR shm_left)
  message(FATAL_ERROR "left behind:\n${leftovers}\n${shm_left}")
endif()
message(STATUS "no scenario process and no /dev/shm entry left behind")
