set(MF_UI_SOURCES mainwindow.cpp mainwindow.h)
include(${CMAKE_CURRENT_LIST_DIR}/training/sources.cmake)
