# Issue 8 ("Nothing lost"): the data-safety defects' regression tests and the hostile-input net.
mf_add_gtest(test_safety
  safety/test_maskencoding.cpp safety/test_projectfile.cpp safety/test_files.cpp safety/test_training.cpp
  safety/test_sigkill.cpp)

# The hostile corpus generator: its output is tests/data/bad/ (checked in; see its README.md).
add_executable(mf_make_bad_corpus safety/make_bad_corpus.cpp)
target_link_libraries(mf_make_bad_corpus PRIVATE maskforge_core PNG::PNG)

# Every CLI command against the corpus (needs the CLI).
if(TARGET maskforge-cli)
  mf_add_gtest(test_safety_cli safety/test_cli_corpus.cpp safety/test_sigkill_training.cpp safety/clirun.h)
  add_dependencies(test_safety_cli maskforge-cli)
endif()

# SIGKILL while autosave runs (needs the ui library's MaskDocument).
if(TARGET maskforge_ui)
  add_executable(test_safety_autosave safety/test_autosave_kill.cpp)
  set_target_properties(test_safety_autosave PROPERTIES AUTOMOC ON)
  target_link_libraries(test_safety_autosave PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME safety_autosave_kill COMMAND test_safety_autosave)
  set_tests_properties(safety_autosave_kill PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=1" TIMEOUT 600)
endif()

# The class palette at the class limit (ui).
if(TARGET maskforge_ui)
  add_executable(test_safety_palette safety/test_palette_limit.cpp)
  set_target_properties(test_safety_palette PROPERTIES AUTOMOC ON)
  target_link_libraries(test_safety_palette PRIVATE maskforge_ui Qt6::Test)
  add_test(NAME safety_palette_limit COMMAND test_safety_palette)
  set_tests_properties(safety_palette_limit PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen" TIMEOUT 60)
endif()
