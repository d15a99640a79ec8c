# 3. Fuzz targets: libFuzzer entry points. In normal builds they are linked
#    with a replay main and run over their seed corpus, so they never rot;
#    with -DPREFLINE_LIBFUZZER=ON (clang) they are real fuzzers with
#    AddressSanitizer and UndefinedBehaviorSanitizer (make fuzz).
foreach(target csv jsonl consensus duel)
  set(name fuzz_${target})
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp)
  target_link_libraries(${name} PRIVATE prefline::prefline prefline_build_flags)
  if(PREFLINE_LIBFUZZER)
    # No recovery: undefined behaviour stops the fuzzer like a crash does.
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
                                           -fno-omit-frame-pointer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    target_sources(${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/replay_main.cpp)
    prefline_use_pch(${name})
    add_test(NAME fuzz/${target}-corpus COMMAND ${name} ${CMAKE_CURRENT_LIST_DIR}/corpus/${target})
  endif()
endforeach()
