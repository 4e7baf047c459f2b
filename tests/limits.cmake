# tests/limits.cmake - test_limits decides pathological inputs whose work the
# code bounds by counting (docs/limits.md); its TIMEOUT is only a guard
# against a hang (it takes about 2 s, 12 s under ASan+UBSan).
if(TEST test_limits)
  set_tests_properties(test_limits PROPERTIES TIMEOUT 300)
endif()
