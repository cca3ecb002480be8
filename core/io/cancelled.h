#pragma once
#include <stdexcept>

namespace mf {

/** Long work (a refinement pass, a forest's training) stopped because its cancel flag was set: nothing
 *  it would have produced is there. */
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

} // namespace mf
