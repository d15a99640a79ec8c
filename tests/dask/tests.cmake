# Scale-out: scripts/prefline-dask on a LocalCluster against the single-process
# pipeline (tests/dask/check_dask.py). Each test exits 77, reported as skipped
# with the reason, when /usr/bin/python3 cannot import dask.distributed
# (Debian packages python3-dask and python3-distributed, from scripts/install-deps).
set(dask_check ${CMAKE_CURRENT_SOURCE_DIR}/dask/check_dask.py)
set(dask_data ${CMAKE_CURRENT_BINARY_DIR}/dask-data)
foreach(mode IN ITEMS setup pairs items kill errors)
  add_test(NAME dask/${mode}
           COMMAND ${Python3_EXECUTABLE} ${dask_check} --bin $<TARGET_FILE_DIR:csv2jsonl> --data ${dask_data} ${mode})
  set_tests_properties(dask/${mode} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 COST 200)  # long: started first
  if(mode STREQUAL "setup")
    set_tests_properties(dask/${mode} PROPERTIES FIXTURES_SETUP dask_data)
  else()
    # Each starts worker processes that run two tools at a time: on a 2-core
    # machine they run one after the other.
    set_tests_properties(dask/${mode} PROPERTIES FIXTURES_REQUIRED dask_data RESOURCE_LOCK dask_cluster)
  endif()
endforeach()
# The turns stage makes its own trajectories (no dask_data fixture) in a folder of its own (dask/setup
# starts by emptying dask-data, and may run at the same time), and shares the cluster lock.
add_test(NAME dask/turns
         COMMAND ${Python3_EXECUTABLE} ${dask_check} --bin $<TARGET_FILE_DIR:csv2jsonl>
                 --data ${CMAKE_CURRENT_BINARY_DIR}/dask-turns-data turns)
set_tests_properties(dask/turns PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 COST 200 RESOURCE_LOCK dask_cluster)
