# tests/tsan.cmake - the ThreadSanitizer variant (-DPDT_TSAN=ON): compiles
# the runtime (pdt_static, pdt_shared), the compiler core, pdtc and every
# CUnit test with -fsanitize=thread, so test_threads (8 threads deciding on
# one shared table) reports any data race and exits non-zero.  Included by
# tests/CMakeLists.txt after the test targets exist; used by
# scripts/ci-layers:
#   cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPDT_TSAN=ON
#   cmake --build build-tsan -j2 --target test_threads
#   (cd build-tsan && ctest -R '^test_threads$' --output-on-failure)
# TSan cannot be combined with ASan (PDT_SANITIZE) or libFuzzer (PDT_FUZZ).
option(PDT_TSAN "Build the runtime, compiler core and tests with ThreadSanitizer" OFF)
if(PDT_TSAN)
  if(PDT_SANITIZE OR PDT_FUZZ)
    message(FATAL_ERROR "PDT_TSAN cannot be combined with PDT_SANITIZE or PDT_FUZZ")
  endif()
  set(PDT_TSAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  set(PDT_TSAN_TARGETS pdt_static pdt_shared pdtcore pdtc)
  foreach(src ${PDT_TEST_SRC})
    get_filename_component(name ${src} NAME_WE)
    list(APPEND PDT_TSAN_TARGETS ${name})
  endforeach()
  foreach(tgt ${PDT_TSAN_TARGETS})
    target_compile_options(${tgt} PRIVATE ${PDT_TSAN_FLAGS})
  endforeach()
  # INTERFACE on the runtime: whatever links it (tests, pdtc, bench, ...)
  # links the TSan runtime too.
  target_link_options(pdt_static INTERFACE -fsanitize=thread)
  target_link_options(pdt_shared PRIVATE -fsanitize=thread INTERFACE -fsanitize=thread)
  # a report ends the run at once (non-zero exit) instead of only at exit
  set_property(TEST test_threads APPEND PROPERTY ENVIRONMENT
               "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1")
endif()
