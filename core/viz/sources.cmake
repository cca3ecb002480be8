# Pictures and figures for the studio (overlays, error maps, chart series): pixel logic without Qt.
list(APPEND MF_CORE_PLAIN_SOURCES viz/overlay.cpp viz/series.cpp)
