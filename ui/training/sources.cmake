# The studio (training panel, live charts, runs, predictions, comparison): paths relative to ui/.
list(APPEND MF_UI_SOURCES
  training/trainingtypes.h training/trainworker.h training/trainworker.cpp
  training/trainingrunner.h training/trainingrunner.cpp
  charts/chartsupport.h charts/chartsupport.cpp
  charts/trainingcharts.h charts/trainingcharts.cpp
)
list(APPEND MF_UI_SOURCES
  training/trainingform.h training/trainingform.cpp training/trainingformconfig.cpp
  training/trainingpanel.h training/trainingpanel.cpp
)
