# Smoke test of the benchmark drivers: each runs in --quick mode and must
# print one valid JSON object holding the keys the report reads. Timing is
# never checked here.
function(run_and_check exe)
  execute_process(COMMAND ${exe} --quick OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc TIMEOUT 40)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${exe} --quick failed (${rc}):\n${err}")
  endif()
  foreach(path IN LISTS ARGN)
    string(REPLACE "." ";" keys "${path}")
    string(JSON value ERROR_VARIABLE jerr GET "${out}" ${keys})
    if(jerr)
      message(FATAL_ERROR "${exe}: no '${path}' in its JSON (${jerr}):\n${out}")
    endif()
  endforeach()
endfunction()

run_and_check(${TRANSPORT} raw_events_s.median engine_events_s.median engine_over_raw)
run_and_check(${PRIMITIVES}
  process_start_join_fork_us.median process_start_join_spawn_us.median
  lock_acquire_release_ns.median semaphore_acq_rel_ns.median
  queue_pingpong_rt_us.median pipe_pingpong_rt_us.median
  queue_throughput_unbounded_ops_s.median pipe_throughput_msgs_s.median
  pool_apply_async_tasks_s.median pool_map_tasks_s.median)
# The recording generator writes a loadable recording; the recording
# benchmark loads, saves and exports it.
if(DEFINED GEN AND DEFINED RECBENCH)
  set(rec ${WORK}/smoke_recording.jsonl)
  execute_process(COMMAND ${GEN} --events 2000 --out ${rec} OUTPUT_VARIABLE out
                  RESULT_VARIABLE rc TIMEOUT 40)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${GEN} failed (${rc})")
  endif()
  execute_process(COMMAND ${RECBENCH} ${rec} OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc TIMEOUT 40)
  file(REMOVE ${rec})
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${RECBENCH} failed (${rc}):\n${err}")
  endif()
  foreach(path events load_s.median save_s.median export_s.median peak_rss_after_load_kb)
    string(REPLACE "." ";" keys "${path}")
    string(JSON value ERROR_VARIABLE jerr GET "${out}" ${keys})
    if(jerr)
      message(FATAL_ERROR "${RECBENCH}: no '${path}' in its JSON (${jerr}):\n${out}")
    endif()
  endforeach()
endif()
message(STATUS "benchmark drivers print the expected JSON")
