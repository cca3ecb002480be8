# A training run as it is written down: its config (config.yaml, the schema and its checks), its
# folder, metrics.csv, and the list of runs in a folder. Torch-free.
list(APPEND MF_CORE_PLAIN_SOURCES runs/trainconfig.cpp runs/validateconfig.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES runs/runfolder.cpp runs/runmetrics.cpp runs/runlist.cpp)
