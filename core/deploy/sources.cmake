# Deployment: exporting trained networks for inference.
list(APPEND MF_CORE_TORCH_SOURCES
  deploy/onnxgraph.cpp
  deploy/onnxexport.cpp
)
# Torch-free: reading exported models, the OpenCV DNN engine.
list(APPEND MF_CORE_PLAIN_SOURCES
  deploy/onnxmodelinfo.cpp
  deploy/opencvpredictor.cpp
)
# Files that include ONNX's headers (they get ONNX_ML and ONNX_NAMESPACE; see core/CMakeLists.txt).
list(APPEND MF_CORE_ONNX_SOURCES
  deploy/onnxgraph.cpp
  deploy/onnxexport.cpp
  deploy/onnxmodelinfo.cpp
)
