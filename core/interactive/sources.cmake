# Click-to-segment and its benchmark (RITM's simulated user): no torch, no Qt.
list(APPEND MF_CORE_PLAIN_SOURCES interactive/clickprotocol.cpp interactive/geodesic.cpp
     interactive/clicksegmenter.cpp interactive/grabcutclicks.cpp interactive/geocut.cpp interactive/geocutlocal.cpp interactive/clickdata.cpp
     interactive/clickbench.cpp interactive/clickplot.cpp interactive/clickprior.cpp interactive/clickmodel.cpp)
