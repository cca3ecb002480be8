# Networks: building blocks, encoders, segmentation architectures, the model factory, checkpoints.
list(APPEND MF_CORE_TORCH_SOURCES
  models/block.cpp
  models/plainencoder.cpp
  models/unet.cpp
  models/encoderdecoder.cpp
  models/unetplusplus.cpp
  models/bottleneckattention.cpp
  models/resnetencoder.cpp
  models/efficientnetencoder.cpp
  models/torchvisionweights.cpp
  models/modelfactory.cpp
  models/checkpoint.cpp
)
