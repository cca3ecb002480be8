# Studio (training panel, charts, runs, predictions, comparison): Qt Test, offscreen, tiny networks.
if(TARGET maskforge_ui)
  foreach(suite training views)
    add_executable(test_studio_${suite} ${CMAKE_CURRENT_LIST_DIR}/test_studio_${suite}.cpp
                   ${CMAKE_CURRENT_LIST_DIR}/studiotestutil.h)
    target_link_libraries(test_studio_${suite} PRIVATE maskforge_ui Qt6::Test)
    target_compile_definitions(test_studio_${suite} PRIVATE MF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    set_target_properties(test_studio_${suite} PROPERTIES AUTOMOC ON)
    add_test(NAME test_studio_${suite} COMMAND test_studio_${suite})
    set_tests_properties(test_studio_${suite} PROPERTIES TIMEOUT 120
      ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2;OMP_WAIT_POLICY=PASSIVE")
  endforeach()
endif()

# README screenshots from the running program (not a test): studio-screenshots <sample> <out-dir>.
if(TARGET maskforge_ui)
  add_executable(studio-screenshots ${CMAKE_CURRENT_LIST_DIR}/studio_screenshots.cpp)
  target_link_libraries(studio-screenshots PRIVATE maskforge_ui)
  set_target_properties(studio-screenshots PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
