set(MF_UI_SOURCES mainwindow.cpp mainwindow.h)
