# jsontestsuite.cmake - runs `pdtc check` on all 318 files of JSONTestSuite
# (../shared/jsontestsuite, read in place): every n_ file must be refused with
# a json-* error, no y_ file may get a json-* error (they are valid JSON, so
# only policy-level errors), and no i_ file may crash pdtc (what each one did
# is printed).  Prints "skipped" when the shared material is absent.
#
# Included by tests/CMakeLists.txt it registers the ctest; run with
# `cmake -DPDTC=... -DDIR=... -P jsontestsuite.cmake` it is the test itself.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  add_test(NAME jsontestsuite_pdtc_check
           COMMAND ${CMAKE_COMMAND} -DPDTC=$<TARGET_FILE:pdtc> -DDIR=${PDT_SHARED_DIR}/jsontestsuite
                   -P ${CMAKE_CURRENT_LIST_FILE})
  set_tests_properties(jsontestsuite_pdtc_check PROPERTIES TIMEOUT 600)
  return()
endif()

if(NOT IS_DIRECTORY "${DIR}")
  message("skipped: jsontestsuite (no ../shared at ${DIR})")
  return()
endif()

file(GLOB files "${DIR}/*.json")
list(SORT files)
set(failures 0)
set(count 0)
foreach(f ${files})
  get_filename_component(name "${f}" NAME)
  math(EXPR count "${count} + 1")
  execute_process(COMMAND "${PDTC}" check --color=never "${f}"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  string(REGEX MATCH "\\[json-[a-z0-9-]+\\]" jsoncode "${err}")
  if(NOT rc MATCHES "^[01]$" OR err MATCHES "Sanitizer|runtime error:")
    message("FAIL ${name}: pdtc exited with '${rc}'\n${err}")
    math(EXPR failures "${failures} + 1")
  elseif(name MATCHES "^n_")
    if(NOT rc EQUAL 1 OR NOT jsoncode)
      message("FAIL ${name}: not refused with a json-* error (exit ${rc})")
      math(EXPR failures "${failures} + 1")
    endif()
  elseif(name MATCHES "^y_")
    if(jsoncode)
      message("FAIL ${name}: valid JSON got ${jsoncode}")
      math(EXPR failures "${failures} + 1")
    endif()
  else()
    string(REGEX MATCH "\\[[a-z0-9-]+\\]" firstcode "${err}")
    message("${name}: exit ${rc} ${firstcode}")
  endif()
endforeach()
message("jsontestsuite: ${count} files, ${failures} failures")
if(NOT count EQUAL 318)
  message(FATAL_ERROR "expected 318 files in ${DIR}, found ${count}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} JSONTestSuite files failed")
endif()
