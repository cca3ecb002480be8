#pragma once
// Precompiled header for the core files that use LibTorch (about 15 s to parse otherwise).
#include <torch/torch.h>
