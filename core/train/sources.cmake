# Training engine (branch train): config, trainer, checkpoints, prediction, evaluation, benchmark.
list(APPEND MF_CORE_PLAIN_SOURCES train/trainconfig.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES train/validateconfig.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/device.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/optim.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/checkpoint.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES train/runfolder.cpp train/runmetrics.cpp train/runlist.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/trainer.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/predictor.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/bench.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES train/evaluate.cpp train/comparison.cpp)

list(APPEND MF_CORE_PLAIN_SOURCES train/augment.cpp train/datasplit.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/losses.cpp train/loader.cpp)
