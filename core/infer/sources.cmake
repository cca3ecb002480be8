# Inference: the predictor (checkpoint-backed and live), its fast path (batch norm folded in), input
# preparation and tiling, evaluation of a run on a split and the comparison of two runs.
list(APPEND MF_CORE_TORCH_SOURCES infer/predictor.cpp infer/fastinfer.cpp infer/batchnormfold.cpp infer/imagetensor.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES infer/calibration.cpp infer/inputprep.cpp infer/evaluate.cpp infer/comparison.cpp)
