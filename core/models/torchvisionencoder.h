#pragma once
#include "models/encoder.h"

#include <string>
#include <vector>

namespace mf {

/**
 * An encoder laid out exactly like a torchvision classifier's trunk, so that a torchvision
 * state_dict maps onto it name for name (see loadTorchvisionStateDict).
 */
class TorchvisionEncoderImpl : public EncoderImpl {
public:
    /** Prefixes of torchvision keys with no counterpart here (classifier, stages past depth). */
    virtual std::vector<std::string> droppedTorchvisionPrefixes() const = 0;
};

} // namespace mf
