# Replays of the libFuzzer targets without libFuzzer (tests/fuzz/standalone.c):
# each target's regression inputs (tests/fuzz/regressions/<target>/) and the
# example policies run through the same entry point in every ctest build,
# including the ASan+UBSan one.
find_path(PDT_REPLAY_XXHASH_DIR xxhash.h REQUIRED)
foreach(t load frontend compile request)
  add_executable(fuzz_${t}_replay ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_${t}.c
                 ${PROJECT_SOURCE_DIR}/tests/fuzz/standalone.c)
  target_include_directories(fuzz_${t}_replay PRIVATE ${PDT_REPLAY_XXHASH_DIR} ${PROJECT_SOURCE_DIR}/tests/fuzz)
  target_link_libraries(fuzz_${t}_replay PRIVATE pdtcore)
  set(inputs ${PROJECT_SOURCE_DIR}/tests/fuzz/regressions/${t})
  if(t STREQUAL "frontend" OR t STREQUAL "compile")
    list(APPEND inputs ${PROJECT_SOURCE_DIR}/examples ${PROJECT_SOURCE_DIR}/tests/fixtures)
  elseif(t STREQUAL "request")
    list(APPEND inputs ${PROJECT_SOURCE_DIR}/examples/imagebuilder/requests.jsonl)
  endif()
  add_test(NAME fuzz_${t}_replay COMMAND fuzz_${t}_replay ${inputs})
  set_tests_properties(fuzz_${t}_replay PROPERTIES TIMEOUT 300)
endforeach()
