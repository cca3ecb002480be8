set(MF_UI_SOURCES
  qtcv.cpp qtcv.h toolsettings.cpp toolsettings.h
  maskdocument.cpp maskdocumentsave.cpp maskdocument.h
  canvas.cpp canvasinput.cpp canvas.h
  datasetmodel.cpp datasetmodel.h datasetpanel.cpp datasetpanel.h classpalette.cpp classpalette.h
  batchrefiner.cpp batchrefiner.h batchrefinedialog.cpp batchrefinedialog.h reviewqueuemodel.cpp reviewqueuemodel.h reviewpanel.cpp reviewpanel.h
  mainwindow.cpp mainwindowmenus.cpp mainwindowproject.cpp mainwindowformats.cpp mainwindowreview.cpp mainwindow.h
  mainwindowdesktop.cpp mainwindowhelp.cpp mainwindowlive.cpp dialogdirs.cpp dialogdirs.h ../resources/maskforge.qrc
  importdialog.cpp importdialog.h formatjob.cpp formatjob.h newprojectdialog.cpp newprojectdialog.h
  tools/abstracttool.cpp tools/abstracttool.h tools/brushtool.cpp tools/brushtool.h tools/erasertool.h
  tools/polygontool.cpp tools/polygontool.h tools/recttool.cpp tools/recttool.h
  tools/floodfilltool.cpp tools/floodfilltool.h tools/pickertool.cpp tools/pickertool.h
  tools/boxrefinetool.cpp tools/boxrefinetoolinput.cpp tools/boxrefinetool.h
  tools/clicksegmenttool.cpp tools/clicksegmenttool.h
  tools/liveclassifiertool.cpp tools/liveclassifiertool.h)
include(${CMAKE_CURRENT_LIST_DIR}/training/sources.cmake)
