# Training (branch train): the trainer, losses, optimiser, the data pipeline (split, augmentation,
# epoch order and rank shards, loader) and validation at native resolution.
list(APPEND MF_CORE_PLAIN_SOURCES train/augment.cpp train/datasplit.cpp train/sampler.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/trainer.cpp train/optim.cpp train/losses.cpp train/boxlosses.cpp train/loader.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/nativevalidation.cpp train/calibraterun.cpp)
