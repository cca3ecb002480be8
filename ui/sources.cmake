set(MF_UI_SOURCES
  common/qtcv.cpp common/qtcv.h tools/toolsettings.cpp tools/toolsettings.h
  canvas/maskdocument.cpp canvas/maskdocumentsave.cpp canvas/maskdocument.h
  canvas/canvas.cpp canvas/canvasinput.cpp canvas/canvas.h
  dataset/datasetmodel.cpp dataset/datasetmodel.h dataset/datasetpanel.cpp dataset/datasetpanel.h dataset/classpalette.cpp dataset/classpalette.h
  reviewqueue/batchrefiner.cpp reviewqueue/batchrefiner.h reviewqueue/batchrefinedialog.cpp reviewqueue/batchrefinedialog.h reviewqueue/reviewqueuemodel.cpp reviewqueue/reviewqueuemodel.h reviewqueue/reviewpanel.cpp reviewqueue/reviewpanel.h
  mainwindow/mainwindow.cpp mainwindow/mainwindowmenus.cpp mainwindow/mainwindowproject.cpp mainwindow/mainwindowformats.cpp mainwindow/mainwindowreview.cpp mainwindow/mainwindow.h
  mainwindow/mainwindowdesktop.cpp mainwindow/mainwindowhelp.cpp mainwindow/mainwindowlive.cpp files/dialogdirs.cpp files/dialogdirs.h ../resources/maskforge.qrc
  files/importdialog.cpp files/importdialog.h files/formatjob.cpp files/formatjob.h files/newprojectdialog.cpp files/newprojectdialog.h
  tools/abstracttool.cpp tools/abstracttool.h tools/brushtool.cpp tools/brushtool.h tools/erasertool.h
  tools/polygontool.cpp tools/polygontool.h tools/recttool.cpp tools/recttool.h
  tools/floodfilltool.cpp tools/floodfilltool.h tools/pickertool.cpp tools/pickertool.h
  tools/boxrefinetool.cpp tools/boxrefinetoolinput.cpp tools/boxrefinetool.h
  tools/clicksegmenttool.cpp tools/clicksegmenttool.h
  tools/liveclassifiertool.cpp tools/liveclassifiertool.h)
include(${CMAKE_CURRENT_LIST_DIR}/training/sources.cmake)
