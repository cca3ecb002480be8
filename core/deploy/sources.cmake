# Deployment: folding and exporting trained networks for inference.
list(APPEND MF_CORE_TORCH_SOURCES
  deploy/batchnormfold.cpp
)
