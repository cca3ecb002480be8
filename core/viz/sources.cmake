# Pictures and figures for the studio (overlays, error maps, run metrics): pixel logic without Qt.
list(APPEND MF_CORE_PLAIN_SOURCES viz/overlay.cpp viz/boxreplace.cpp viz/series.cpp viz/runmetrics.cpp viz/runlist.cpp)
