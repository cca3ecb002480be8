# The studio (training panel, live charts, runs, predictions, comparison): paths relative to ui/.
list(APPEND MF_UI_SOURCES
  training/trainworker.h training/trainworker.cpp
  training/trainingrunner.h training/trainingrunner.cpp
  charts/chartsupport.h charts/chartsupport.cpp
  charts/trainingcharts.h charts/trainingcharts.cpp
)
