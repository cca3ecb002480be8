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
list(APPEND MF_UI_SOURCES
  predict/predictionservice.h predict/predictionservice.cpp
  predict/overlayrender.h predict/overlayrender.cpp
  predict/imagepane.h predict/imagepane.cpp
  predict/predictpanel.h predict/predictpanel.cpp predict/predictpanelbatch.cpp
)
list(APPEND MF_UI_SOURCES compare/compareview.h compare/compareview.cpp compare/compareviewfill.cpp)
list(APPEND MF_UI_SOURCES runs/runspanel.h runs/runspanel.cpp)
list(APPEND MF_UI_SOURCES charts/metricsfollower.h charts/metricsfollower.cpp)
list(APPEND MF_UI_SOURCES training/studio.h training/studio.cpp)
