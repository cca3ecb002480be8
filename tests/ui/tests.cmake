# Qt Test suites of the GUI, run offscreen.
include(${CMAKE_CURRENT_LIST_DIR}/studio.cmake)
