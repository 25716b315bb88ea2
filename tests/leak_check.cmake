# Fails if any scenario process of THIS build of mpviz (its run configuration
# names the binary, mpviz or mpviz-proc in MPVIZ_EXE_DIR) is still alive or a zombie, or a /dev/shm entry of ours
# exists, after the integration tests ran.
execute_process(COMMAND ps -eo pid,stat,args OUTPUT_VARIABLE ps_out)
string(REGEX MATCHALL "[^\n]*mpviz (__main|__child)[^\n]*" candidates "${ps_out}")
set(leftovers "")
foreach(line IN LISTS candidates)
  string(FIND "${line}" "\"exe\":\"${MPVIZ_EXE_DIR}/mpviz" at)
  if(NOT at EQUAL -1)
    list(APPEND leftovers "${line}")
  endif()
endforeach()
# mpviz itself names nothing (memfd); Python mode's CPython names sem.mp-*.
file(GLOB shm_left /dev/shm/mpviz* /dev/shm/sem.mp-*)
if(leftovers OR shm_left)
  message(FATAL_ERROR "left behind:\n${leftovers}\n${shm_left}")
endif()
message(STATUS "no scenario process of ${MPVIZ_EXE_DIR} and no /dev/shm entry left behind")
