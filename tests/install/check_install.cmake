# ctest install/consumer: `cmake --install` the build into a scratch prefix,
# check what landed there, then configure, build and run the consumer project
# (tests/install/consumer/) against that prefix alone.
#
# cmake -DBUILD_DIR=... -DSCRATCH=... -DCONSUMER=... -DCXX=... -DVERSION=... -DBINDIR=bin
#       -DINCLUDEDIR=include [-DCONFIG=...] -P check_install.cmake
foreach(variable BUILD_DIR SCRATCH CONSUMER CXX VERSION BINDIR INCLUDEDIR)
  if(NOT ${variable})
    message(FATAL_ERROR "check_install: -D${variable}= is missing")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Release)
endif()
set(prefix ${SCRATCH}/prefix)
file(REMOVE_RECURSE ${SCRATCH})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "check_install: ${what} failed (${status}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})

# The tools in bin/, the headers in include/prefline/, the package files.
run("installed csv2jsonl --version" ${prefix}/${BINDIR}/csv2jsonl --version)
if(NOT run_output STREQUAL "csv2jsonl (prefline) ${VERSION}\n")
  message(FATAL_ERROR "check_install: installed csv2jsonl --version printed '${run_output}'")
endif()
foreach(file ${INCLUDEDIR}/prefline/json/writer.hpp ${INCLUDEDIR}/prefline/random/hashing.hpp)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "check_install: ${file} was not installed")
  endif()
endforeach()
file(GLOB_RECURSE configs ${prefix}/*/prefline-config.cmake)
list(LENGTH configs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "check_install: expected one prefline-config.cmake, found '${configs}'")
endif()
get_filename_component(package_dir ${configs} DIRECTORY)
# The exported targets carry usage requirements only, never this build's flags.
file(GLOB target_files ${package_dir}/prefline*-targets*.cmake)
foreach(file IN LISTS target_files)
  file(READ ${file} text)
  foreach(flag -march -Wall -Wextra -fsanitize -ffp-contract ${BUILD_DIR})
    string(FIND "${text}" "${flag}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "check_install: ${file} mentions '${flag}'")
    endif()
  endforeach()
endforeach()

# A consumer that finds prefline in the prefix and nowhere else.
run("configuring the consumer" ${CMAKE_COMMAND} -S ${CONSUMER} -B ${SCRATCH}/build -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
string(FIND "${run_output}" "from ${package_dir}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "check_install: the consumer did not find prefline in ${package_dir}:\n${run_output}")
endif()
run("building the consumer" ${CMAKE_COMMAND} --build ${SCRATCH}/build)

# XXH3-64 of no bytes is the published 0x2d06800538d394c2; 17 = floor(that * 100 / 2^64).
run("running the consumer" ${SCRATCH}/build/consumer)
set(expected "{\"version\":\"${VERSION}\",\"hash\":\"2d06800538d394c2\",\"bucket\":17,\"score\":4.5,\"when\":\"2025-06-15T15:06:40.000Z\",\"text\":\"tab\\there \\\"quoted\\\"\"}\n")
if(NOT run_output STREQUAL expected)
  message(FATAL_ERROR "check_install: the consumer printed\n${run_output}instead of\n${expected}")
endif()
run("running the libcurl consumer" ${SCRATCH}/build/consumer_llm)
if(NOT run_output STREQUAL "libcurl linked\n")
  message(FATAL_ERROR "check_install: consumer_llm printed '${run_output}'")
endif()
message(STATUS "check_install: installed to ${prefix}; the consumer built against it and printed ${run_output}")
